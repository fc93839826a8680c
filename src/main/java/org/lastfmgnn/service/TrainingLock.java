package org.lastfmgnn.service;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One training at a time per server: DJL allows one gradient collector per JVM, and two runs would fight for
 * the same cores. A second run is refused at once, naming the one that runs.
 */
public final class TrainingLock implements AutoCloseable {
    private static final AtomicReference<String> RUNNING = new AtomicReference<>();
    private final String owner;

    private TrainingLock(String owner) {
        this.owner = owner;
    }

    public static TrainingLock acquire(String what) {
        String owner = what + " (started " + java.time.Instant.now() + ")";
        if (!RUNNING.compareAndSet(null, owner)) {
            throw new IllegalStateException("Another training is running: " + RUNNING.get()
                    + ". Wait for it (CALL lastfm.gnn.progress()) or stop it (TERMINATE TRANSACTION), then retry.");
        }
        return new TrainingLock(owner);
    }

    @Override
    public void close() {
        RUNNING.compareAndSet(owner, null);
    }
}

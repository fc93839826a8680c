package org.lastfmgnn.service;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One training at a time per server: DJL allows one gradient collector per JVM, and two runs would fight for
 * the same cores. A second run is refused at once, naming the one that runs.
 */
public final class TrainingLock implements AutoCloseable {
    private record Owner(String what, String modelName, String started) {
        @Override
        public String toString() {
            return what + " (started " + started + ")";
        }
    }

    private static final AtomicReference<Owner> RUNNING = new AtomicReference<>();
    private final Owner owner;

    private TrainingLock(Owner owner) {
        this.owner = owner;
    }

    /** @param modelName the model the run will save: the catalog leaves its files alone while it runs */
    public static TrainingLock acquire(String what, String modelName) {
        Owner owner = new Owner(what, modelName, java.time.Instant.now().toString());
        if (!RUNNING.compareAndSet(null, owner)) {
            throw new IllegalStateException("Another training is running: " + RUNNING.get()
                    + ". Wait for it (CALL lastfm.gnn.progress()) or stop it (TERMINATE TRANSACTION), then retry.");
        }
        return new TrainingLock(owner);
    }

    /** Whether a training that will save {@code modelName} is running now. */
    public static boolean isTraining(String modelName) {
        Owner o = RUNNING.get();
        return o != null && o.modelName().equals(modelName);
    }

    @Override
    public void close() {
        RUNNING.compareAndSet(owner, null);
    }
}

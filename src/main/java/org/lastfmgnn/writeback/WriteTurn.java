package org.lastfmgnn.writeback;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The JVM's turn to write back. Two write-backs at once (the launcher's two lanes, two users' trainings) lock the
 * same users in their batches, and Neo4j answers crossing locks with a deadlock error that fails one of them; so
 * each writer of this package (and the friend suggestions' one) takes this turn around its own transactions, and
 * holds no database lock while it waits.
 * Fair: a waiting write-back goes next.
 */
public final class WriteTurn implements AutoCloseable {
    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private WriteTurn() {
    }

    /** Waits for the turn; closing the result gives it back. */
    public static WriteTurn take() {
        LOCK.lock();
        return new WriteTurn();
    }

    @Override
    public void close() {
        LOCK.unlock();
    }
}

package org.lastfmgnn.model;

import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DJL allows one gradient collector at a time per JVM, while Neo4j runs procedures on many threads. So each
 * optimisation step (zero own gradients, forward, backward, update) of a training or an explanation takes its
 * turn through this lock: an explanation can run while a training does, step by step.
 */
public final class Gradients {
    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private Gradients() {
    }

    /** The JVM's gradient turn for one step: zero, forward, backward and the optimizer's update. */
    public static AutoCloseable turn() {
        LOCK.lock();
        return LOCK::unlock;
    }

    /** A collector that holds the JVM's gradient turn (reentrant: taken again inside {@link #turn()}) until closed. */
    public static GradientCollector collector() {
        LOCK.lock();
        try {
            GradientCollector collector = Engines.pytorch().newGradientCollector();
            return new GradientCollector() {
                @Override
                public void backward(ai.djl.ndarray.NDArray target) {
                    collector.backward(target);
                    Engines.markComputed();
                }

                @Override
                public void zeroGradients() {
                    collector.zeroGradients();
                }

                @Override
                public void close() {
                    try {
                        collector.close();
                    } finally {
                        LOCK.unlock();
                    }
                }
            };
        } catch (RuntimeException e) {
            LOCK.unlock();
            throw e;
        }
    }
}

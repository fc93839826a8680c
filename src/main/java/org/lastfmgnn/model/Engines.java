package org.lastfmgnn.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngineProvider;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine the way it works inside Neo4j: offline (no downloads, no telemetry), with this
 * plugin's class loader as the context loader (DJL looks its engine and natives up through it), and with a
 * bounded number of threads: left alone, PyTorch takes every core of the database server for its intra-op
 * parallelism. The number is {@code -Dlastfm.gnn.threads=N} (in neo4j.conf: {@code server.jvm.additional}), else
 * DJL's own {@code -Dai.djl.pytorch.num_threads=N}, else {@value #DEFAULT_THREADS}; a training may ask for another
 * for its run ({@link #threadsFor}). Before libtorch loads, oneMKL is asked for reproducible rounding
 * ({@link MklReproducibility}).
 */
public final class Engines {
    /** The system property that sets PyTorch's intra-op threads inside the database. */
    public static final String THREADS_PROPERTY = "lastfm.gnn.threads";
    static final int DEFAULT_THREADS = 1;
    private static volatile Engine engine;
    private static volatile boolean computed;

    private Engines() {
    }

    public static Engine pytorch() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (Engines.class) {
            if (engine == null) {
                if (System.getProperty("ai.djl.offline") == null) {
                    System.setProperty("ai.djl.offline", "true");
                }
                if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                }
                MklReproducibility.request();
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                thread.setContextClassLoader(Engines.class.getClassLoader());
                try {
                    Engine.registerEngine(new PtEngineProvider());
                    Engine started = Engine.getEngine("PyTorch");
                    JniUtils.setNumThreads(configuredThreads());
                    engine = started;
                } finally {
                    thread.setContextClassLoader(previous);
                }
            }
            return engine;
        }
    }

    /**
     * Whether this process has run a backward pass yet: the first one touches libtorch's and MKL's code and
     * workspaces and sets up the allocator's arenas, a cost later ones do not pay again (see MemoryEstimate).
     */
    public static boolean computed() {
        return computed;
    }

    static void markComputed() {
        computed = true;
    }

    /** The intra-op threads the settings ask for (see the class comment). */
    public static int configuredThreads() {
        Integer ours = Integer.getInteger(THREADS_PROPERTY);
        Integer djl = Integer.getInteger("ai.djl.pytorch.num_threads");
        int threads = ours != null ? ours : djl != null ? djl : DEFAULT_THREADS;
        if (threads < 1) {
            throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be at least 1, got " + threads);
        }
        return threads;
    }

    /** PyTorch's intra-op threads now. */
    public static int threads() {
        pytorch();
        return JniUtils.getNumThreads();
    }

    /**
     * Runs with {@code threads} intra-op threads until closed, then back to the configured number. The setting is
     * the process's: what runs beside it (other trainings, explanations, predictions) shares it meanwhile.
     */
    public static AutoCloseable threadsFor(int threads) {
        pytorch();
        JniUtils.setNumThreads(threads);
        return () -> JniUtils.setNumThreads(configuredThreads());
    }
}

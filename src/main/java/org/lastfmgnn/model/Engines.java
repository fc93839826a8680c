package org.lastfmgnn.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtEngineProvider;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * Starts DJL's PyTorch engine the way it works inside Neo4j: offline (no downloads, no telemetry), with this
 * plugin's class loader as the context loader (DJL looks its engine and natives up through it), and with a
 * bounded number of threads: left alone, PyTorch takes every core of the database server for its intra-op
 * parallelism. The number is {@code -Dlastfm.gnn.threads=N} (in neo4j.conf: {@code server.jvm.additional}), else
 * DJL's own {@code -Dai.djl.pytorch.num_threads=N}, else {@value #DEFAULT_THREADS}; a training may ask for another
 * for its run ({@link #threadsFor}). Before libtorch loads, oneMKL is asked for reproducible rounding
 * ({@link MklReproducibility}).
 *
 * <p>Where tensors live: a training on the device its {@code device} setting names ({@link #device}), everything else
 * (predictions, explanations, imports, exports) on the CPU ({@link #newCpuManager}), whatever DJL's own default
 * (which is the first GPU whenever the natives have CUDA and one is visible).
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

    /** The values of a training's {@code device} setting: the GPU when PyTorch sees one, else the CPU; or one of them. */
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");

    /**
     * The device {@code asked} ({@link #DEVICES}) names here. {@code gpu} where PyTorch sees no CUDA device is refused,
     * saying why: this plugin's jars carry PyTorch's CPU natives, and DJL reports CUDA devices only for natives built
     * with CUDA ({@code Engine.getGpuCount()} is 0 otherwise, even on a machine with a GPU).
     */
    public static Device device(String asked) {
        Engine e = pytorch();
        int gpus = e.getGpuCount();
        return switch (asked) {
            case "cpu" -> Device.cpu();
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device 'gpu': PyTorch " + e.getVersion() + " here sees no CUDA "
                            + "device (" + (e.hasCapability(StandardCapabilities.CUDA) ? "its natives have CUDA, but no "
                            + "GPU is visible to this process" : "its natives are the CPU build this plugin ships; for a "
                            + "GPU, DJL needs its CUDA natives, ai.djl.pytorch:pytorch-native-cu*, in their place")
                            + "); use device: 'auto' (the GPU when there is one, else the CPU) or 'cpu'");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("device must be one of " + String.join(", ", DEVICES)
                    + ", got '" + asked + "'");
        };
    }

    /** A manager of tensors on {@code device}, the caller's to close. */
    public static NDManager newManager(Device device) {
        return pytorch().newBaseManager(device);
    }

    /** A manager of tensors on the CPU, the caller's to close: for all work other than a training's. */
    public static NDManager newCpuManager() {
        return newManager(Device.cpu());
    }

    /**
     * Returns when the work queued on {@code any}'s device is done, by reading one of its values on the host: a CUDA
     * device runs apart from the host, so a time read before this is the time to queue the work. Nothing to wait for
     * on the CPU, where each operation returns when it is done.
     */
    public static void awaitDevice(NDArray any) {
        if (!any.getDevice().getDeviceType().equals(Device.Type.CPU)) {
            try (NDArray one = any.reshape(-1).get(0)) {
                one.toByteBuffer();
            }
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

package org.lastfmgnn.model;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * oneMKL inside libtorch rounds the same matrix product differently depending on where its operands start in
 * memory, unless its conditional numerical reproducibility (CNR) is on. Tensors made from Java arrays start wherever
 * the JVM's allocator put them, and that depends on when the collector freed earlier buffers: with CNR off the
 * same region run (fold seed 42) printed other figures in 4 of 7 fresh processes on one machine, each time in
 * another fold; with {@code MKL_CBWR=AUTO,STRICT} it printed the documented figures in 12 of 12 (BENCHMARKS.md,
 * "Reproducibility"), for 7-13% more time. Intel documents strict CNR as independent of alignment.
 *
 * <p>So before libtorch starts, the process environment gets {@code MKL_CBWR=AUTO,STRICT} (oneMKL reads it when it
 * initialises), unless it already has an {@code MKL_CBWR} of its own, which is then left as the user set it. Only on
 * Linux and macOS (POSIX {@code setenv}); on Windows set {@code MKL_CBWR} before starting Neo4j. Builds without
 * oneMKL (ARM) ignore it. Where the C library cannot be reached (JNA refused), nothing is set and the engine starts
 * as before.
 */
final class MklReproducibility {
    /** The setting asked for: automatic code path, strict reproducibility. */
    private static final String SETTING = "AUTO,STRICT";
    /** {@code mkl_cbwr_get}'s answer for {@link #SETTING}: MKL_CBWR_AUTO | MKL_CBWR_STRICT. */
    static final int AUTO_STRICT = 2 | 0x10000;

    private MklReproducibility() {
    }

    interface PosixEnvironment extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** Sets {@code MKL_CBWR} in this process's environment unless it is set; call before libtorch is loaded. */
    static void request() {
        if (System.getenv("MKL_CBWR") != null || Platform.isWindows()) {
            return;
        }
        try {
            Native.load("c", PosixEnvironment.class).setenv("MKL_CBWR", SETTING, 0);
        } catch (LinkageError | RuntimeException e) {
            // rounding then depends on alignment again (as before this class): a reason for doubt, not for no engine
        }
    }

    /**
     * oneMKL's CNR mode in this process ({@code mkl_cbwr_get(MKL_CBWR_ALL)}, which libtorch exports under its
     * internal name {@code mkl_serv_cbwr_get}; 65538 is {@code AUTO,STRICT}), or -1 where libtorch has no oneMKL.
     * Call after the engine has started.
     */
    static int mode() {
        try {
            Function get = NativeLibrary.getInstance("torch_cpu").getFunction("mkl_serv_cbwr_get");
            return get.invokeInt(new Object[] {-1});
        } catch (UnsatisfiedLinkError e) {
            return -1;
        }
    }
}

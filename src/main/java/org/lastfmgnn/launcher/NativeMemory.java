package org.lastfmgnn.launcher;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * glibc's allocator settings for the launcher's own process. PyTorch allocates and frees tensors of megabytes to
 * hundreds of megabytes every epoch; by default glibc maps the large ones fresh from the kernel and gives freed
 * memory back, so every epoch pays its page faults again (4-6 million in the pipeline), and the two lanes' threads
 * queue on the process's memory map for them. Served from the heap and kept there instead: 2.6 to 5 million in
 * our runs (BENCHMARKS.md, "Two lanes"); the same in the environment from the start does better still (about 2
 * million, and {@code MALLOC_ARENA_MAX=1} takes effect only there), which a process cannot do for itself. Only
 * here: the plugin inside someone else's database leaves that
 * process's allocator alone (the same settings as environment variables: README).
 */
final class NativeMemory {
    /** mallopt(3) parameters. */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    static final int MMAP_THRESHOLD = 512 << 20;
    static final int TOP_PAD = 256 << 20;

    private NativeMemory() {
    }

    private interface C extends Library {
        int mallopt(int param, int value);
    }

    /** Applies the settings where glibc is the allocator; says what it did (for report.json). */
    static String tune() {
        if (!Platform.isLinux()) {
            return "default (not Linux)";
        }
        try {
            C c = Native.load("c", C.class);
            boolean all = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    & c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1
                    & c.mallopt(M_TOP_PAD, TOP_PAD) == 1;
            return all ? "glibc: mmap threshold 512 MB, trim threshold 2 GB, top pad 256 MB" : "partly refused by the C library";
        } catch (LinkageError | RuntimeException e) {
            return "default (" + e.getMessage() + ")";
        }
    }
}

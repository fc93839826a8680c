package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensors made from Java arrays, their memory aligned to 64 bytes as libtorch's own allocations are. Every array
 * that enters a tensor goes through here, not through {@code NDManager.create}.
 *
 * <p>Why: DJL's {@code create(float[])} copies the array into a direct buffer and hands libtorch that buffer itself
 * ({@code from_blob}, no copy), at whatever address the JVM's allocator gave it: 16-byte aligned, a different
 * offset from run to run. oneMKL, which libtorch's CPU matrix products call, runs with its conditional numerical
 * reproducibility off and takes alignment-dependent code paths on AVX-512 processors, so the same product of the
 * same numbers could round differently from one run to the next: on Intel machines a fixed {@code randomSeed} gave
 * two answers (MaskingTest saw 0.04038 and 0.04035 for one probability). With every input 64-byte aligned, each
 * product takes one path. The buffer stays alive as long as the tensor's Java object (DJL keeps a reference).
 */
public final class Tensors {
    /** Bytes: a cache line, an AVX-512 register, and libtorch's CPU allocator's alignment. */
    static final int ALIGNMENT = 64;

    private Tensors() {
    }

    /** [values.length] float32. */
    public static NDArray of(NDManager manager, float[] values) {
        return of(manager, values, new Shape(values.length));
    }

    /** {@code shape} float32, row-major. */
    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        ByteBuffer buffer = aligned(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        return manager.create(buffer, shape, DataType.FLOAT32);
    }

    /** [values.length] int64. */
    public static NDArray of(NDManager manager, long[] values) {
        return of(manager, values, new Shape(values.length));
    }

    /** {@code shape} int64, row-major. */
    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        ByteBuffer buffer = aligned(values.length * Long.BYTES);
        buffer.asLongBuffer().put(values);
        return manager.create(buffer, shape, DataType.INT64);
    }

    /** [values.length] int64: indices, widened (libtorch indexes with int64). */
    public static NDArray indices(NDManager manager, int[] values) {
        ByteBuffer buffer = aligned(values.length * Long.BYTES);
        var longs = buffer.asLongBuffer();
        for (int v : values) {
            longs.put(v);
        }
        return manager.create(buffer, new Shape(values.length), DataType.INT64);
    }

    /** A native-order direct buffer of exactly {@code bytes}, starting on an {@link #ALIGNMENT} boundary. */
    static ByteBuffer aligned(int bytes) {
        ByteBuffer raw = ByteBuffer.allocateDirect(bytes + 2 * ALIGNMENT);
        ByteBuffer slice = raw.alignedSlice(ALIGNMENT);
        slice.limit(bytes);
        return slice.slice().order(ByteOrder.nativeOrder());
    }
}

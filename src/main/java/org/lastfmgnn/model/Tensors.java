package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensors made from Java arrays, each starting at the same place relative to a 64-byte boundary (16 bytes past one)
 * in every run. Every array that enters a tensor goes through here, not through {@code NDManager.create}.
 *
 * <p>Why: DJL's {@code create(float[])} copies the array into a direct buffer and hands libtorch that buffer itself
 * ({@code from_blob}, no copy), at whatever address the JVM's allocator gave it, a different offset from run to run.
 * oneMKL, which libtorch's CPU matrix products call, runs with its conditional numerical reproducibility off, and
 * the same products of the same numbers then came out differently from run to run: on Intel's AVX-512 path with
 * those varying offsets (CI: MaskingTest saw 0.04038 and 0.04035 for one probability; 1 of 45 runs here, with MKL
 * made to take that path), and on this AMD machine's path whenever the arrays started on a 64-byte boundary (2 of 9
 * runs of a cross validation differed; five region studies gave five accuracies). Started 16 bytes past a boundary,
 * as the JVM's large direct buffers always were, every run of both paths gave the same numbers (18 of 18), equal on
 * this machine to those before (so no quoted figure moves). {@code TensorsTest} holds the offset.
 */
public final class Tensors {
    /** Bytes: a cache line, an AVX-512 register, and libtorch's CPU allocator's alignment. */
    static final int ALIGNMENT = 64;
    /** Where each tensor starts past an {@link #ALIGNMENT} boundary: the same in every run (see the class comment). */
    static final int OFFSET = 16;

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

    /** A native-order direct buffer of exactly {@code bytes}, starting {@link #OFFSET} bytes past an alignment boundary. */
    static ByteBuffer aligned(int bytes) {
        ByteBuffer raw = ByteBuffer.allocateDirect(bytes + 2 * ALIGNMENT);
        ByteBuffer slice = raw.alignedSlice(ALIGNMENT);
        slice.position(OFFSET);
        slice.limit(OFFSET + bytes);
        return slice.slice().order(ByteOrder.nativeOrder());
    }
}

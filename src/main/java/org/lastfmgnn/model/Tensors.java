package org.lastfmgnn.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Tensors made from Java arrays: the one place where they are made (not {@code NDManager.create} at each site), so
 * that how their memory is laid out is decided once. Each is a native-order direct buffer of exactly the array's
 * bytes handed to libtorch ({@code from_blob}), as DJL's {@code create} does; but for {@link #floats}, whose values
 * are written straight into memory libtorch allocated.
 *
 * <p>Where that buffer starts mattered to oneMKL (inside libtorch) while its conditional numerical reproducibility
 * was off: the same product rounded differently when the JVM's allocator put an operand at another offset from a
 * 64-byte boundary, which is how a fixed seed gave two answers in CI (MaskingTest) and in fresh processes. Fixing the
 * offset here was tried (BENCHMARKS.md, "Reproducibility") and not kept; oneMKL now runs with strict reproducibility
 * ({@link MklReproducibility}), which Intel documents as independent of alignment.
 */
public final class Tensors {
    private Tensors() {
    }

    /** [values.length] float32. */
    public static NDArray of(NDManager manager, float[] values) {
        return of(manager, values, new Shape(values.length));
    }

    /** {@code shape} float32, row-major. */
    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        ByteBuffer buffer = direct(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        return manager.create(buffer, shape, DataType.FLOAT32);
    }

    /**
     * A float32 scalar (0-dim) tensor whose memory libtorch owns: the operand to use wherever an operation with a
     * number may be recorded for gradients ({@code x.div(Tensors.scalar(m, 2))}, not {@code x.div(2)}). DJL's
     * {@code div(Number)}, {@code mul(Number)}, {@code maximum(Number)} and the like make the number a tensor over
     * a direct buffer of the JVM's ({@code from_blob}), apply the operation and close that tensor at once, which
     * lets the collector free the buffer; but autograd keeps the operand (a division or product needs it for the
     * gradient, a maximum for its mask) and reads it in the backward pass, by then possibly memory the allocator
     * gave to something else: a gradient scaled by garbage, at random steps (BENCHMARKS.md, "A use after free").
     * A tensor libtorch allocated is kept alive by autograd's reference whatever happens to the Java object.
     */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value, DataType.FLOAT32);
    }

    /**
     * {@code shape} float32, row-major, its bytes (native order) put by {@code fill} straight into the memory libtorch
     * allocated for it, through a direct view of it: no array and no buffer of the JVM's between (a JVM direct buffer
     * of a dropout mask's 2 MB took longer to allocate than the mask to draw; BENCHMARKS.md, "Dropout's masks as
     * floats"). {@code fill} fills the view it is given. Off the CPU the view would be of a copy, so there the bytes
     * go through a direct buffer of the JVM's first, as {@link #of(NDManager, float[], Shape)}'s.
     */
    static NDArray floats(NDManager manager, Shape shape, Consumer<ByteBuffer> fill) {
        if (manager.getDevice().getDeviceType().equals(Device.Type.CPU)) {
            NDArray tensor = manager.create(shape, DataType.FLOAT32);
            // a new tensor is contiguous, so this is a view of its own memory (JniUtils.getByteBuffer), not a copy
            ByteBuffer view = ((PtNDArray) tensor).toByteBuffer(true);
            fill.accept(view);
            checkFilled(view, shape);
            return tensor;
        }
        ByteBuffer buffer = direct(Math.toIntExact(shape.size() * Float.BYTES));
        fill.accept(buffer);
        checkFilled(buffer, shape);
        return manager.create(buffer.rewind(), shape, DataType.FLOAT32);
    }

    private static void checkFilled(ByteBuffer buffer, Shape shape) {
        if (buffer.hasRemaining()) {
            throw new IllegalStateException(buffer.remaining() + " bytes of " + shape + "'s floats not put");
        }
    }

    /** [values.length] int64. */
    public static NDArray of(NDManager manager, long[] values) {
        return of(manager, values, new Shape(values.length));
    }

    /** {@code shape} int64, row-major. */
    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        ByteBuffer buffer = direct(values.length * Long.BYTES);
        buffer.asLongBuffer().put(values);
        return manager.create(buffer, shape, DataType.INT64);
    }

    /**
     * {@code shape} int64 over the first {@code shape.size()} longs of {@code buffer} (one of {@link #direct}'s),
     * which the caller keeps and leaves unchanged until the tensor is closed: for filling a larger tensor piece by
     * piece through one buffer ({@code GraphTensors.likesMatrix}) rather than a new buffer, freed only by a later
     * collection, per piece.
     */
    static NDArray longsIn(NDManager manager, ByteBuffer buffer, Shape shape) {
        ByteBuffer view = buffer.duplicate().limit(Math.toIntExact(shape.size() * Long.BYTES)).position(0);
        return manager.create(view.slice().order(ByteOrder.nativeOrder()), shape, DataType.INT64);
    }

    /** [values.length] int64: indices, widened (libtorch indexes with int64). */
    public static NDArray indices(NDManager manager, int[] values) {
        ByteBuffer buffer = direct(values.length * Long.BYTES);
        var longs = buffer.asLongBuffer();
        for (int v : values) {
            longs.put(v);
        }
        return manager.create(buffer, new Shape(values.length), DataType.INT64);
    }

    /** A native-order direct buffer of exactly {@code bytes}, wherever the JVM's allocator puts it. */
    static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}

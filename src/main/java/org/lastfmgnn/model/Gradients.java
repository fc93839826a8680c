package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient recording for one thread. DJL's own collector allows one at a time per JVM (a static flag), while
 * PyTorch keeps its grad mode per thread and runs backward passes of separate graphs on separate threads at once.
 * Neo4j runs procedures on many threads, and the launcher trains two models at a time: so a training or an
 * explanation records on its own thread with this collector, beside any other. It zeroes nothing itself: each
 * owner zeroes its own parameters ({@link Parameter#zeroGradients}), where DJL's walks every array of the engine.
 *
 * <p>A collector from {@link #taped()} also keeps the tape of the sparse products recorded under it ({@link
 * SparseProduct#times}) and of the GAT's fused kernels ({@link EdgeAttention}: the same scheme, a {@link Step} of two
 * inputs whose backward is that class's arithmetic). libtorch's
 * sparse kernels that record gradients are slow on graphs this sparse (the COO product dispatches one vector
 * operation per non-zero, forward and backward; {@code embedding_bag}'s and the CSR product's backward are slower
 * still), while {@code embedding_bag} without gradients is 4-9 times faster than the COO product. So a product
 * y = S x is taken without gradients, y made a leaf that collects its gradient, and the tape holds (S, x, y).
 * {@link #backward} runs the graph's backward from the target (which stops at those leaves), then the tape from
 * its last product to its first: x's gradient is S^T (y's gradient), again without gradients, and the backward
 * continues from x with it. The products come in the order they were made, so every use of a product's output lies
 * after it and has added to its gradient by the time the tape reaches it. Each backward from an x keeps the graph
 * (a part below it may be shared with an earlier product's input); the graph goes when its arrays are closed.
 */
public final class Gradients implements GradientCollector {
    private static final ThreadLocal<Gradients> RECORDING = new ThreadLocal<>();

    /**
     * One taped operation: its output is a leaf that collects its gradient, and {@link #backward} passes that gradient
     * on to the operation's inputs (its own arithmetic, then {@code JniUtils.backward} from each input, keeping the
     * graph).
     */
    interface Step {
        NDArray output();

        void backward(NDArray outputGradient);
    }

    /** A taped product: {@code output = matrix x input}; the input's gradient is the transpose times the output's. */
    private record Product(SparseProduct matrix, NDArray input, NDArray output) implements Step {
        @Override
        public void backward(NDArray outputGradient) {
            try (NDArray inputGradient = matrix.transposedTimes(outputGradient)) {
                JniUtils.backward((PtNDArray) input, (PtNDArray) inputGradient, true, false);
            }
        }
    }

    private final boolean wasRecording;
    private final Gradients outer;
    /** Whether sparse products go on the tape (else into libtorch's graph). */
    private final boolean tapesProducts;
    /** The taped steps of the pass being recorded: products where {@link #tapesProducts}, the GAT's fused kernels. */
    private final List<Step> tape = new ArrayList<>();

    private Gradients(boolean tapesProducts) {
        Engines.pytorch();
        this.tapesProducts = tapesProducts;
        // what the thread goes back to on close: recording only if a collector of ours was. Not the grad mode found
        // here: libtorch turns it on in every new thread (pipeline lanes, workers, Neo4j's), and restoring that left
        // the thread's later passes recording (BENCHMARKS.md, "Only our collectors record")
        wasRecording = recording();
        outer = RECORDING.get();
        JniUtils.setGradMode(true);
        RECORDING.set(this);
    }

    /**
     * Records this thread's operations until closed, sparse products in libtorch's graph (the GAT's fused kernels on
     * the tape, as under {@link #taped()}: libtorch's own backward of their {@code embedding_bag}s made explaining a
     * GAT 1.6 times slower).
     */
    public static GradientCollector collector() {
        return new Gradients(false);
    }

    /**
     * Records this thread's operations until closed, sparse products on the tape: what the region and artist
     * trainings record. Its gradients are those of {@link #collector()} to the bit where every array reaches the
     * target along one chain of products (a layer stack); where one tensor feeds several products (an explainer's edge
     * mask, read by every propagation), the tape adds its parts in another order, which moves the last bits, and so
     * the explainers keep libtorch's graph. A GAT's fused kernels ({@link EdgeAttention}) have a backward of their own
     * on the tape, equal to libtorch's up to float rounding ({@code EdgeAttentionTest}).
     */
    public static GradientCollector taped() {
        return new Gradients(true);
    }

    /** Whether this thread records under a collector that tapes sparse products. */
    static boolean taping() {
        Gradients current = RECORDING.get();
        return current != null && current.tapesProducts && JniUtils.isGradMode();
    }

    /** Whether this thread records under one of these collectors, which tape the steps given to {@link #record(Step)}. */
    static boolean recording() {
        return RECORDING.get() != null && JniUtils.isGradMode();
    }

    /** Tapes {@code output = matrix x input} for this thread's collector ({@link #taping()} must hold). */
    static void record(SparseProduct matrix, NDArray input, NDArray output) {
        record(new Product(matrix, input, output));
    }

    /** Tapes {@code step} for this thread's collector ({@link #recording()} must hold). */
    static void record(Step step) {
        RECORDING.get().tape.add(step);
    }

    /** How many steps are on the tape now. */
    int tapeLength() {
        return tape.size();
    }

    /** d(sum of target)/d(every array that requires a gradient), accumulated on those arrays. */
    @Override
    public void backward(NDArray target) {
        boolean taped = !tape.isEmpty();
        try (NDArray ones = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) ones, taped, false);
        }
        try {
            for (int i = tape.size() - 1; i >= 0; i--) {
                Step step = tape.get(i);
                NDArray outputGradient = JniUtils.getGradient((PtNDArray) step.output());
                if (outputGradient == null) {
                    continue; // nothing the target depends on read this step's output
                }
                try {
                    step.backward(outputGradient);
                } finally {
                    outputGradient.close();
                }
            }
        } finally {
            tape.clear();
        }
        Engines.markComputed();
    }

    /** Not offered: it would touch the gradients of every training in the JVM; see the class comment. */
    @Override
    public void zeroGradients() {
        throw new UnsupportedOperationException("zero the owner's parameters instead (Parameter.zeroGradients)");
    }

    @Override
    public void close() {
        tape.clear();
        RECORDING.set(outer);
        JniUtils.setGradMode(wasRecording);
    }
}

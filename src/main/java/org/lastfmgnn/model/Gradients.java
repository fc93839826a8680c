package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * Gradient recording for one thread. DJL's own collector allows one at a time per JVM (a static flag), while
 * PyTorch keeps its grad mode per thread and runs backward passes of separate graphs on separate threads at once.
 * Neo4j runs procedures on many threads, and the launcher trains two models at a time: so a training or an
 * explanation records on its own thread with this collector, beside any other. It zeroes nothing itself: each
 * owner zeroes its own parameters ({@link Parameter#zeroGradients}), where DJL's walks every array of the engine.
 */
public final class Gradients implements GradientCollector {
    private final boolean wasRecording;

    private Gradients() {
        Engines.pytorch();
        wasRecording = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Records this thread's operations until closed. */
    public static GradientCollector collector() {
        return new Gradients();
    }

    /** d(sum of target)/d(every array that requires a gradient), accumulated on those arrays. */
    @Override
    public void backward(NDArray target) {
        try (NDArray ones = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
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
        if (!wasRecording) {
            JniUtils.setGradMode(false);
        }
    }
}

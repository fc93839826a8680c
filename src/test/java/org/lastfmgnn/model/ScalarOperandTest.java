package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * An operation with a number that autograd records keeps the number for the backward pass. DJL's {@code div(Number)}
 * and its kind make the number a tensor over a JVM direct buffer and close it at once, so a collection between the
 * forward and the backward pass can free that memory and hand it to the next allocation: the gradient is then
 * computed with whatever was written there. {@link Tensors#scalar} makes the number a tensor libtorch owns, which
 * autograd's reference keeps alive. Each case runs the forward pass, a collection, 2,000 fresh 4-byte direct
 * buffers holding 1e-30 (where a freed number lands), then the backward pass.
 */
class ScalarOperandTest {
    private static final int TRIALS = 5;

    @Test
    void numbersMadeByTensorsScalarSurviveACollectionBeforeTheBackwardPass() throws InterruptedException {
        assertThat(gradients((x, m) -> x.div(Tensors.scalar(m, 4f)))).containsOnly(0.25f);
        assertThat(gradients((x, m) -> x.mul(Tensors.scalar(m, 3f)))).containsOnly(3f);
        assertThat(gradients((x, m) -> x.maximum(Tensors.scalar(m, 0.5f)))).containsOnly(1f);
        assertThat(gradients((x, m) -> Losses.binaryCrossEntropy(x, m.zeros(x.getShape()))))
                .as("d/dx mean(log(1 + e^x)) at x = 1, 8 elements").containsOnly((float) (1 / (1 + Math.exp(-1)) / 8));
    }

    /**
     * The same churn catches DJL's own number overloads: the reason {@link Tensors#scalar} exists. Should a DJL
     * release keep its numbers alive, this fails, and the overloads may be used again.
     */
    @Test
    void theChurnCatchesDjlsNumberOverloads() throws InterruptedException {
        assertThat(gradients((x, m) -> x.div(4f))).anySatisfy(g -> assertThat(g).isNotEqualTo(0.25f));
    }

    /** The gradient at x = 1 (8 elements) of {@code sum(op(x))}, once per trial, with churn before the backward. */
    private static List<Float> gradients(BiFunction<NDArray, NDManager, NDArray> op) throws InterruptedException {
        List<Float> out = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            try (NDManager m = Engines.pytorch().newBaseManager()) {
                NDArray x = m.ones(new Shape(8));
                x.setRequiresGradient(true);
                try (var collector = Gradients.collector()) {
                    NDArray y = op.apply(x, m);
                    System.gc();
                    Thread.sleep(20); // the cleaner frees unreachable direct buffers on its own thread
                    List<ByteBuffer> churn = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                        b.putFloat(0, 1e-30f);
                        churn.add(b);
                    }
                    collector.backward(y.sum());
                    for (float g : x.getGradient().toFloatArray()) {
                        out.add(g);
                    }
                    assertThat(churn).hasSize(2000);
                }
            }
        }
        return out;
    }
}

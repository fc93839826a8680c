package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.testing.LastFmGraph;

/**
 * The GAT's fused kernels ({@link EdgeAttention}) against the attention written out in tensor operations (gathers,
 * LeakyReLU, exp after the maximum, a sum by receiver, a division; the senders' rows gathered, scaled and summed by
 * receiver) recorded by libtorch: on the LastFM graph's 63,236 messages, at the hidden layer's 8 heads of 8 and the
 * output layer's 1 head of 18, values and the gradients of a weighted sum of the output with respect to x and to both
 * scores agree up to float rounding (the fused sums round once per term, the written-out ones twice), with the
 * kernels' own backward on the tape of either of our collectors (the trainings' and the explainers') and with
 * libtorch recording them (grad mode without our collector), and the fused paths agree to the bit in value. A wrong
 * slope, a softmax backward without its receiver's sum, or a gradient into the wrong head is orders of magnitude
 * above the tolerance (each tried).
 */
class EdgeAttentionTest {
    private static final GraphSnapshot LASTFM = LastFmGraph.withoutLikes();

    /** Output and gradients (x, sender scores, receiver scores) of one pass. */
    private record Pass(float[] output, float[] x, float[] sourceScore, float[] targetScore) {
    }

    @Test
    void fusedValuesAndGradientsAreTheWrittenOutOnes() {
        for (int[] headsWidth : new int[][] {{8, 8}, {1, 18}}) {
            int heads = headsWidth[0];
            int width = headsWidth[1];
            try (NDManager m = Engines.pytorch().newBaseManager();
                 GraphTensors g = new GraphTensors(m, LASTFM, false)) {
                Random random = new Random(heads);
                float[] x = gaussian(random, g.nodeCount() * heads * width, 1);
                float[] scores = gaussian(random, 2 * g.nodeCount() * heads, 2); // some logits negative, some large
                float[] weight = gaussian(random, g.nodeCount() * heads * width, 1);
                Pass written = pass(m, g, heads, width, x, scores, weight, Gradients::collector, false);
                Pass taped = pass(m, g, heads, width, x, scores, weight, Gradients::taped, true);
                Pass explainers = pass(m, g, heads, width, x, scores, weight, Gradients::collector, true);
                Pass recorded = pass(m, g, heads, width, x, scores, weight, LibtorchGraph::new, true);
                String label = heads + " x " + width;
                assertThat(taped.output()).as(label).isEqualTo(recorded.output()).isEqualTo(explainers.output());
                for (Pass fused : new Pass[] {taped, explainers, recorded}) {
                    String which = label + (fused == taped ? " taped" : fused == explainers ? " explainers'" : " libtorch");
                    assertClose(which + " output", fused.output(), written.output());
                    assertClose(which + " x gradient", fused.x(), written.x());
                    assertClose(which + " sender score gradient", fused.sourceScore(), written.sourceScore());
                    assertClose(which + " receiver score gradient", fused.targetScore(), written.targetScore());
                }
            }
        }
    }

    private static Pass pass(NDManager parent, GraphTensors g, int heads, int width, float[] xValues,
                             float[] scoreValues, float[] weightValues, Supplier<GradientCollector> collector,
                             boolean fused) {
        int n = g.nodeCount();
        int e = g.edgeCount();
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.create(xValues, new Shape(n, (long) heads * width));
            NDArray scores = m.create(scoreValues, new Shape(2, n, heads));
            NDArray weight = m.create(weightValues, new Shape(n, (long) heads * width));
            x.setRequiresGradient(true);
            scores.setRequiresGradient(true);
            float[] output;
            try (GradientCollector c = collector.get()) {
                // computed inputs, as in a layer: their gradients flow on through libtorch's graph (a tensor operand:
                // a number's would be freed before the backward reads it, see Tensors.scalar)
                NDArray one = Tensors.scalar(m, 1f);
                NDArray features = x.mul(one);
                NDArray source = scores.get(0).mul(one);
                NDArray target = scores.get(1).mul(one);
                NDArray out;
                if (fused) {
                    out = g.attention().sum(features, g.attention().softmax(source, target));
                } else {
                    NDArray logits = Activation.leakyRelu(source.get(g.source()).add(target.get(g.target())), 0.2f);
                    NDArray weights = logits.sub(logits.max(new int[] {0}, true).stopGradient()).exp();
                    NDArray attention = weights.div(g.sumIncoming(weights).get(g.target()));
                    out = g.sumIncoming(features.get(g.source()).reshape(e, heads, width)
                            .mul(attention.expandDims(2)).reshape(e, (long) heads * width));
                }
                output = out.toFloatArray();
                c.backward(out.mul(weight).sum());
            }
            float[] scoreGradient = scores.getGradient().toFloatArray();
            int half = scoreGradient.length / 2;
            return new Pass(output, x.getGradient().toFloatArray(),
                    java.util.Arrays.copyOfRange(scoreGradient, 0, half),
                    java.util.Arrays.copyOfRange(scoreGradient, half, scoreGradient.length));
        }
    }

    /** Grad mode on without our collectors: libtorch records every operation, the fused kernels' included. */
    private static final class LibtorchGraph implements GradientCollector {
        LibtorchGraph() {
            JniUtils.setGradMode(true);
        }

        @Override
        public void backward(NDArray target) {
            try (NDArray ones = target.onesLike()) {
                JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
            }
        }

        @Override
        public void zeroGradients() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            JniUtils.setGradMode(false);
        }
    }

    /** Within 1e-5 of the largest magnitude, which must itself be well above 0. */
    private static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double largest = 0;
        double difference = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
        }
        assertThat(largest).as(what).isGreaterThan(1e-2);
        assertThat(difference).as(what + " (largest " + largest + ")").isLessThan(1e-5 * largest);
    }

    private static float[] gaussian(Random random, int length, double scale) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (scale * random.nextGaussian());
        }
        return values;
    }
}

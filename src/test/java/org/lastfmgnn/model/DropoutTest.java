package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Dropout} is libtorch's inverted dropout written out, {@code x * mask / (1 - rate)} with the mask drawn from
 * the layer's stream, to the bit in its values and in x's gradient, whichever way it applies the scale: folded into
 * the mask where the keep rate is a power of two, a division after the mask elsewhere. Folding it at a keep rate of
 * 0.8 (a product with 1.25 rounds otherwise than a division by 0.8) fails here.
 */
class DropoutTest {
    @ParameterizedTest
    @CsvSource({"0.5, 11", "0.75, 12", "0.875, 13", "0.2, 14", "0.3, 15", "0.6, 16"})
    void isTheWrittenOutDropoutToTheBit(float rate, long seed) {
        int rows = 1000;
        int columns = 37;
        Random random = new Random(seed);
        float[] x = new float[rows * columns];
        float[] w = new float[rows * columns];
        for (int i = 0; i < x.length; i++) {
            // spread over many binades, so that a rounding difference would show
            x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            w[i] = (float) random.nextGaussian();
        }
        float[][] layer = valueAndGradient(x, w, rows, columns, input -> new Dropout(rate, seed).forward(null, input, true));
        float[][] written = valueAndGradient(x, w, rows, columns, input -> {
            TorchGenerator generator = new TorchGenerator(new SplittableRandom(seed).nextLong());
            NDArray mask = Tensors.floats(input.getManager(), input.getShape(), m -> generator.atLeast(rate, 1f, m));
            return input.mul(mask).div(Tensors.scalar(input.getManager(), 1 - rate));
        });
        assertThat(layer[0]).as("values").containsExactly(written[0]);
        assertThat(layer[1]).as("x's gradient").containsExactly(written[1]);
        int dropped = 0;
        for (float v : layer[0]) {
            dropped += v == 0 ? 1 : 0;
        }
        assertThat(dropped / (double) x.length).as("the share dropped").isCloseTo(rate, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void foldsTheScaleOnlyWhereItsReciprocalIsExact() {
        assertThat(Dropout.exactReciprocal(0.5f)).isTrue();
        assertThat(Dropout.exactReciprocal(0.25f)).isTrue();
        assertThat(Dropout.exactReciprocal(0.125f)).isTrue();
        assertThat(Dropout.exactReciprocal(1f)).isTrue();
        assertThat(Dropout.exactReciprocal(0.8f)).isFalse();
        assertThat(Dropout.exactReciprocal(0.7f)).isFalse();
        assertThat(Dropout.exactReciprocal(0.75f)).isFalse();
        assertThat(Dropout.exactReciprocal(0f)).isFalse();
    }

    /** [the layer's output, x's gradient of sum(output * w)], under a collector of ours. */
    private static float[][] valueAndGradient(float[] values, float[] w, int rows, int columns,
                                              java.util.function.UnaryOperator<NDArray> layer) {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray x = Tensors.of(manager, values, new Shape(rows, columns));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Gradients.taped()) {
                NDArray out = layer.apply(x);
                collector.backward(out.mul(Tensors.of(manager, w, new Shape(rows, columns))).sum());
                return new float[][] {out.toFloatArray(), x.getGradient().toFloatArray()};
            }
        }
    }
}

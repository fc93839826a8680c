package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CSR kernel behind {@link SparseProduct} gives the COO product's values to the bit, and a product taken while
 * gradients are recorded has the COO product's gradients, on a random
 * graph-like matrix (a self-loop and 0 to 12 distinct random neighbours per row, in no particular order, not
 * symmetric, some values exactly zero; a graph's messages have no duplicate pair), inputs with
 * zeros and both signs, at widths below, at and across the vector width (8, 16) and GCN's 64, and on a strided
 * input (a column slice). A difference in rounding or summation order anywhere would move every trained figure.
 * The same for the sums over incoming messages ({@link SparseProduct#sumByRow}), whose recorded form is a scatter-add,
 * under either collector, the general products also when a training's collector tapes them ({@link Gradients#taped()}).
 */
class SparseProductTest {
    private static final int ROWS = 700;

    @Test
    void valuesAndGradientsAreTheCooProductsToTheBit() {
        Random random = new Random(7);
        List<long[]> entries = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            entries.add(new long[] {r, r});
            java.util.Set<Integer> neighbours = new java.util.LinkedHashSet<>();
            int degree = random.nextInt(13);
            while (neighbours.size() < degree) {
                int c = random.nextInt(ROWS);
                if (c != r) {
                    neighbours.add(c); // in random order, as a graph's friend lists come
                }
            }
            for (int c : neighbours) {
                entries.add(new long[] {r, c});
            }
        }
        long[] rows = new long[entries.size()];
        long[] columns = new long[entries.size()];
        float[] values = new float[entries.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = entries.get(i)[0];
            columns[i] = entries.get(i)[1];
            values[i] = random.nextInt(10) == 0 ? 0f : (float) random.nextGaussian();
        }
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            SparseProduct product = SparseProduct.of(m, rows, columns, values, new Shape(ROWS, ROWS));
            for (int width : new int[] {2, 3, 4, 5, 6, 1, 7, 8, 9, 16, 18, 19, 36, 54, 60, 64, 65, 90}) {
                float[] x = new float[ROWS * width];
                float[] upstream = new float[ROWS * width];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextGaussian();
                    upstream[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextGaussian();
                }
                assertThat(JniUtils.isGradMode()).as("nothing records here").isFalse();
                NDArray input = Tensors.of(m, x, new Shape(ROWS, width));
                float[] csr = product.times(input).toFloatArray();
                float[] coo = product.coo().matMul(input).toFloatArray();
                assertThat(bits(csr)).as("values, width %d", width).containsExactly(bits(coo));
                assertThat(csr).as("not all zero").contains((float) 0).isNotEqualTo(new float[csr.length]);
                float[][] reference = valueAndGradient(m, x, upstream, width, product.coo()::matMul);
                for (boolean taped : new boolean[] {false, true}) {
                    float[][] recorded = valueAndGradient(m, x, ROWS, upstream, width, product::times, taped);
                    assertThat(bits(recorded[0])).as("recorded values, width %d, taped %s", width, taped)
                            .containsExactly(bits(coo));
                    assertThat(bits(recorded[1])).as("gradient, width %d, taped %s", width, taped)
                            .containsExactly(bits(reference[1]));
                }
            }
            NDArray wide = m.randomNormal(new Shape(ROWS, 40));
            NDArray slice = wide.get(":, 13:31");
            assertThat(bits(product.times(slice).toFloatArray()))
                    .containsExactly(bits(product.coo().matMul(slice).toFloatArray()));
        }
    }

    @Test
    void sumsOverIncomingMessagesAreTheCooProductsToTheBitAlsoWhereGradientsAreRecorded() {
        // messages sorted by receiver, as a graph's: 0 to 12 per receiver, some receivers with none
        Random random = new Random(11);
        List<Long> receivers = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            for (int k = random.nextInt(13); k > 0; k--) {
                receivers.add((long) r);
            }
        }
        long[] row = receivers.stream().mapToLong(Long::longValue).toArray();
        int messages = row.length;
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            SparseProduct sum = SparseProduct.sumByRow(m, row, SparseProduct.rowStarts(m, row, ROWS), Tensors.of(m, row));
            for (int width : new int[] {1, 2, 8, 9, 16, 18, 64, 65}) {
                float[] x = new float[messages * width];
                float[] upstream = new float[ROWS * width];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextGaussian();
                }
                for (int i = 0; i < upstream.length; i++) {
                    upstream[i] = (float) random.nextGaussian();
                }
                float[][] reference = valueAndGradient(m, x, messages, upstream, width, sum.coo()::matMul, false);
                for (boolean taped : new boolean[] {false, true}) {
                    float[][] recorded = valueAndGradient(m, x, messages, upstream, width, sum::times, taped);
                    assertThat(bits(recorded[0])).as("recorded values, width %d, taped %s", width, taped)
                            .containsExactly(bits(reference[0]));
                    assertThat(bits(recorded[1])).as("gradient, width %d, taped %s", width, taped)
                            .containsExactly(bits(reference[1]));
                    assertThat(recorded[1]).as("not all zero").isNotEqualTo(new float[recorded[1].length]);
                }
                float[] unrecorded = sum.times(Tensors.of(m, x, new Shape(messages, width))).toFloatArray();
                assertThat(bits(unrecorded)).as("values, width %d", width).containsExactly(bits(reference[0]));
            }
        }
    }

    /**
     * A two-layer stack as a training records it (weights, product, ReLU, weights, product, a loss on some rows),
     * with a product whose output nothing reads and one of a constant: the tape's gradients on the weights are
     * libtorch graph's to the bit. A leaf read along two chains (one input through two products) gets the same
     * gradient up to the order of its two parts' sum.
     */
    @Test
    void theTapeGivesAStacksGradientsToTheBit() {
        Random random = new Random(3);
        long[] rows = new long[ROWS * 4];
        long[] columns = new long[rows.length];
        float[] values = new float[rows.length];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = k / 4;
            columns[k] = k % 4 == 0 ? k / 4 : random.nextInt(ROWS);
            values[k] = (float) random.nextGaussian();
        }
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            SparseProduct a = SparseProduct.of(m, rows, columns, values, new Shape(ROWS, ROWS));
            NDArray input = m.randomNormal(new Shape(ROWS, 12));
            NDArray first = m.randomNormal(new Shape(12, 16));
            NDArray second = m.randomNormal(new Shape(16, 5));
            float[][] graph = stackGradients(m, a, input, first, second, false);
            float[][] tape = stackGradients(m, a, input, first, second, true);
            for (int i = 0; i < 2; i++) {
                assertThat(bits(tape[i])).as("weights %d", i).containsExactly(bits(graph[i]));
                assertThat(graph[i]).as("weights %d not all zero", i).isNotEqualTo(new float[graph[i].length]);
            }
            assertThat(tape[2]).as("the leaf read along two chains")
                    .containsExactly(graph[2], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    /** [first's gradient, second's gradient, a leaf's gradient that reaches the loss through two products]. */
    private static float[][] stackGradients(NDManager m, SparseProduct a, NDArray input, NDArray first0, NDArray second0,
                                            boolean taped) {
        try (NDManager scope = m.newSubManager()) {
            NDArray first = first0.duplicate();
            NDArray second = second0.duplicate();
            NDArray shared = second0.duplicate();
            for (NDArray w : new NDArray[] {first, second, shared}) {
                w.attach(scope);
                w.setRequiresGradient(true);
            }
            try (GradientCollector collector = taped ? Gradients.taped() : Gradients.collector()) {
                NDArray hidden = a.times(input.matMul(first)).maximum(0f);
                a.times(hidden); // read by nothing
                a.times(input); // a constant: nothing to tape
                NDArray out = a.times(hidden.matMul(second));
                NDArray twice = a.times(a.times(hidden.matMul(shared)).mul(0.5f).add(hidden.matMul(shared)));
                NDArray loss = out.add(twice).get("0:300").logSoftmax(1).sum().neg();
                // the recorded products, the one nobody reads included; not the constant's
                assertThat(((Gradients) collector).tapeLength()).isEqualTo(taped ? 5 : 0);
                collector.backward(loss);
                return new float[][] {first.getGradient().toFloatArray(), second.getGradient().toFloatArray(),
                    shared.getGradient().toFloatArray()};
            }
        }
    }

    /**
     * libtorch turns grad mode on in every new thread (the launcher's lanes, the workers, Neo4j's threads): there,
     * outside our collectors, a product records nothing (so it is the fast kernel's, not the recorded COO product),
     * and a collector opened and closed there leaves the thread not recording (it had left grad mode on, so every
     * validation pass of a training on such a thread recorded, products through the COO kernel).
     */
    @Test
    void aNewThreadRecordsOnlyInsideOurCollectors() throws Exception {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            SparseProduct product = SparseProduct.of(m, new long[] {0, 0, 1}, new long[] {0, 1, 1},
                    new float[] {1f, 2f, 3f}, new Shape(2, 2));
            NDArray x = Tensors.of(m, new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2));
            x.setRequiresGradient(true);
            List<String> seen = new ArrayList<>();
            Thread thread = new Thread(() -> {
                seen.add("grad mode at start " + JniUtils.isGradMode());
                seen.add("product requires a gradient " + JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) product.times(x)));
                try (GradientCollector collector = Gradients.taped()) {
                    seen.add("inside a collector " + JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) product.times(x)));
                }
                seen.add("grad mode after the collector " + JniUtils.isGradMode());
            });
            thread.start();
            thread.join();
            assertThat(seen).containsExactly("grad mode at start true", "product requires a gradient false",
                    "inside a collector true", "grad mode after the collector false");
        }
    }

    @Test
    void nonZerosOutOfRowOrderAreRefused() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            assertThatThrownBy(() -> SparseProduct.of(m, new long[] {0, 2, 1}, new long[] {0, 1, 2},
                    new float[] {1, 1, 1}, new Shape(3, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row 1 after 2");
        }
    }

    @Test
    void anEmptyRowIsZero() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            SparseProduct product = SparseProduct.of(m, new long[] {0, 2}, new long[] {1, 0}, new float[] {2, 3},
                    new Shape(3, 2));
            for (int rep = 0; rep < 20; rep++) {
                NDArray x = m.randomNormal(new Shape(2, 16)).add(5f);
                float[] out = product.times(x).toFloatArray();
                float[] expected = product.coo().matMul(x).toFloatArray();
                assertThat(bits(out)).containsExactly(bits(expected));
                for (int k = 16; k < 32; k++) {
                    assertThat(Float.floatToRawIntBits(out[k])).as("row 1 is empty").isZero();
                }
            }
        }
    }

    /** [value of product(x), gradient of sum(product(x) * upstream) at x], libtorch's graph recording. */
    private static float[][] valueAndGradient(NDManager m, float[] x, float[] upstream, int width,
                                              java.util.function.Function<NDArray, NDArray> product) {
        return valueAndGradient(m, x, ROWS, upstream, width, product, false);
    }

    /**
     * The same for an input of {@code inputRows} rows (the output has {@link #ROWS}), recorded by a collector that
     * tapes the sparse products or by libtorch's graph.
     */
    private static float[][] valueAndGradient(NDManager m, float[] x, int inputRows, float[] upstream, int width,
                                              java.util.function.Function<NDArray, NDArray> product, boolean taped) {
        try (NDManager scope = m.newSubManager()) {
            NDArray input = Tensors.of(scope, x, new Shape(inputRows, width));
            input.setRequiresGradient(true);
            NDArray weights = Tensors.of(scope, upstream, new Shape(ROWS, width));
            try (GradientCollector collector = taped ? Gradients.taped() : Gradients.collector()) {
                // a recorded operation before the product, so that the input is not a leaf; its number a tensor libtorch owns
                NDArray out = product.apply(input.mul(Tensors.scalar(scope, 1f)));
                collector.backward(out.mul(weights).sum());
                // read inside the collector: the engine's gradients are only promised until it closes
                return new float[][] {out.toFloatArray(), input.getGradient().toFloatArray()};
            }
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}

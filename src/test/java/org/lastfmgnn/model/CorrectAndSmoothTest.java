package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;

/** Correct and Smooth's steps against the formulas written out by hand on a path of three users, 0 - 1 - 2. */
class CorrectAndSmoothTest {
    /** Path 0 - 1 - 2; degrees 1, 2, 1; D^-1/2 A D^-1/2 has 1/sqrt(2) on both edges. */
    private static GraphSnapshot path() {
        return new GraphSnapshot(new long[] {0, 1, 2}, new long[] {0, 1, 2}, new int[] {0, -1, 1},
                new int[] {0, 1, 3, 4}, new int[] {1, 0, 2, 1}, new int[] {0, 0, 0, 0}, new int[0], new int[0],
                new long[0], "none");
    }

    private static NDArray labels(NDManager m) {
        return m.create(new float[] {1, 0, 0, 0, 0, 1}, new Shape(3, 2)); // user 0: class 0, user 2: class 1
    }

    private static NDArray known(NDManager m) {
        return m.create(new float[] {1, 0, 1}, new Shape(3, 1));
    }

    /**
     * Label hops computed once for an input (a training's validation pass) are what the same graph computes; a
     * masked view of that graph computes its own (cutting the edge 0 - 1 takes user 0's label away from user 1).
     */
    @Test
    void labelHopsComputedOnceServeOnlyTheirGraph() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraphTensors g = new GraphTensors(m, path(), false)) {
            RegionInput input = new RegionInput(labels(m), known(m), null).withHops(g);
            assertThat(input.hopsOn(g).toFloatArray()).isEqualTo(LabelHops.forward(g, labels(m)).toFloatArray());
            int edges = g.edgeCount();
            float[] cut = new float[edges];
            java.util.Arrays.fill(cut, 1f);
            int[] source = g.source().toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
            int[] target = g.target().toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
            for (int e = 0; e < edges; e++) {
                if (source[e] == 0 && target[e] == 1) {
                    cut[e] = 0;
                }
            }
            GraphTensors masked = g.withFixedEdgeMask(cut, m);
            float[] onMasked = input.hopsOn(masked).toFloatArray();
            assertThat(onMasked).isEqualTo(LabelHops.forward(masked, labels(m)).toFloatArray());
            assertThat(onMasked).isNotEqualTo(input.hopsOn(g).toFloatArray());
        }
    }

    @Test
    void labelPropagationIsSmoothingOfNothing() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraphTensors g = new GraphTensors(m, path(), false)) {
            NDArray labels = labels(m);
            float[] out = CorrectAndSmooth.smooth(g, labels.zerosLike(), labels, known(m), 0.5, 2).toFloatArray();
            double s = 1 / Math.sqrt(2);
            // step 1: y1 = 0.5 S y0 + 0.5 y0: user 1 gets 0.5 s of each class; user 0 keeps 0.5 of class 0
            // step 2: user 0: 0.5 * s * y1[1] + 0.5 * y0[0] -> class 0: 0.5 + 0.25 s^2, class 1: 0.25 s^2
            assertThat(out[0]).isCloseTo((float) (0.5 + 0.25 * s * s), Offset.offset(1e-6f));
            assertThat(out[1]).isCloseTo((float) (0.25 * s * s), Offset.offset(1e-6f));
            // user 1: 0.5 * s * (y1[0] + y1[2]) = 0.5 * s * 0.5 per class
            assertThat(out[2]).isCloseTo((float) (0.25 * s), Offset.offset(1e-6f));
            assertThat(out[3]).isCloseTo(out[2], Offset.offset(1e-7f));
        }
    }

    @Test
    void correctSpreadsTheKnownResidualsScaledToTheirMeanSize() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraphTensors g = new GraphTensors(m, path(), false)) {
            NDArray base = m.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.8f, 0.2f}, new Shape(3, 2));
            float[] out = CorrectAndSmooth.correct(g, base, labels(m), known(m), 1.0, 1).toFloatArray();
            // residuals: user 0 (+0.5, -0.5), user 2 (-0.8, +0.8); one step at alpha 1 moves them to user 1:
            // E[1] = s * (0.5 - 0.8, -0.5 + 0.8) = s * (-0.3, 0.3); users 0 and 2 receive nothing (E = 0 there)
            // sigma = (1.0 + 1.6) / 2 = 1.3; row 1 is scaled to L1 size sigma: (-0.65, +0.65)
            assertThat(out[2]).isCloseTo(0.5f - 0.65f, Offset.offset(1e-5f));
            assertThat(out[3]).isCloseTo(0.5f + 0.65f, Offset.offset(1e-5f));
            // rows with nothing to spread keep their base prediction
            assertThat(out[0]).isCloseTo(0.5f, Offset.offset(1e-6f));
            assertThat(out[4]).isCloseTo(0.8f, Offset.offset(1e-6f));
        }
    }

    @Test
    void anEdgeMaskReachesThePropagationAndTheLabelSignals() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraphTensors g = new GraphTensors(m, path(), false)) {
            // cut the message 2 -> 1: user 1 hears only class 0
            float[] mask = new float[g.edgeCount()];
            java.util.Arrays.fill(mask, 1f);
            for (int e = 0; e < g.edgeCount(); e++) {
                if (g.sourceIndex()[e] == 2 && g.targetIndex()[e] == 1) {
                    mask[e] = 0f;
                }
            }
            GraphTensors cut = g.withEdgeMask(m.create(mask));
            NDArray labels = labels(m);
            float[] out = CorrectAndSmooth.smooth(cut, labels.zerosLike(), labels, known(m), 0.5, 1).toFloatArray();
            assertThat(out[2]).isGreaterThan(0f);
            assertThat(out[3]).isZero();
            float[] whole = LabelHops.forward(g, labels).toFloatArray();
            float[] hops = LabelHops.forward(cut, labels).toFloatArray();
            int width = LabelHops.width(2);
            // user 1's row: own (0, 0, known 0), 1-hop distribution, share of friends carrying a label; the cut
            // friend's label is taken away, not spread onto the other (denominators are the whole graph's)
            assertThat(new float[] {whole[width + 3], whole[width + 4], whole[width + 5]}).containsExactly(0.5f, 0.5f, 1f);
            assertThat(new float[] {hops[width + 3], hops[width + 4], hops[width + 5]}).containsExactly(0.5f, 0f, 0.5f);
        }
    }
    /**
     * Refinement candidates are judged with several corrected bases smoothed side by side in one block (one sparse
     * product per step for all): on the LastFM graph, with C&S's default candidates, every result equals its own
     * call's to the bit, so choosing among them cannot change.
     */
    @Test
    void smoothingSeveralBasesAtOnceEqualsEachAloneToTheBit() throws java.io.IOException {
        java.nio.file.Path data = java.nio.file.Path.of("data").toAbsolutePath();
        GraphSnapshot lastfm = org.lastfmgnn.graph.Snapshots.of(org.lastfmgnn.dataset.DatasetReader.read(data, null,
                org.lastfmgnn.dataset.FeatureSource.NONE));
        int n = lastfm.userCount();
        int classes = lastfm.classCount();
        java.util.Random random = new java.util.Random(7);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraphTensors g = new GraphTensors(m, lastfm, false)) {
            float[] oneHot = new float[n * classes];
            float[] isKnown = new float[n];
            for (int u = 0; u < n; u++) {
                if (random.nextDouble() < 0.6) {
                    oneHot[u * classes + lastfm.regions()[u]] = 1;
                    isKnown[u] = 1;
                }
            }
            NDArray labels = m.create(oneHot, new Shape(n, classes));
            NDArray known = m.create(isKnown, new Shape(n, 1));
            NDArray[] bases = new NDArray[4];
            for (int i = 0; i < bases.length; i++) {
                float[] p = new float[n * classes];
                for (int j = 0; j < p.length; j++) {
                    p[j] = random.nextFloat();
                }
                bases[i] = m.create(p, new Shape(n, classes));
            }
            double[][] alphas = {{0.5, 0.6, 0.7, 0.8, 0.9}, {0.5, 0.9}, {0.99}, {0.6, 0.7, 0.8}};
            NDArray[][] together = CorrectAndSmooth.smooth(g, bases, labels, known, alphas, 12);
            for (int i = 0; i < bases.length; i++) {
                for (int j = 0; j < alphas[i].length; j++) {
                    float[] alone = CorrectAndSmooth.smooth(g, bases[i], labels, known, alphas[i][j], 12).toFloatArray();
                    float[] side = together[i][j].toFloatArray();
                    assertThat(side).as("base %d, alpha %s", i, alphas[i][j]).isEqualTo(alone);
                    assertThat(side).isNotEqualTo(bases[i].toFloatArray());
                }
            }
        }
    }
}

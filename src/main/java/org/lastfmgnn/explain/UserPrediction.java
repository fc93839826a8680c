package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import org.lastfmgnn.model.GraphTensors;

/**
 * What every explained prediction shares: the graph it runs on, the explained user, and how an edge mask reaches
 * the graph (fixed, for a forward pass without gradients, or as a tensor an explainer learns). Subclasses say
 * what the model outputs on a graph.
 */
abstract class UserPrediction implements ExplainedPrediction {
    /** Message edges in one batched occlusion pass, over all its copies: a GAT holds [edges x heads x width]. */
    private static final int MESSAGES_PER_PASS = 200_000;

    private final GraphTensors graph;
    private final int user;

    UserPrediction(GraphTensors graph, int user) {
        this.graph = graph;
        this.user = user;
    }

    @Override
    public final GraphTensors graph() {
        return graph;
    }

    @Override
    public final int user() {
        return user;
    }

    @Override
    public final float[] probabilities(float[] edgeMask) {
        // every tensor of the pass is freed here: the caller keeps only the floats
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return outputOn(edgeMask == null ? graph : graph.withFixedEdgeMask(edgeMask, graph.manager()), 1)[0];
        }
    }

    /**
     * Each edge removed alone, in batches: a batch of b edges is one forward pass over b disjoint copies of the
     * graph ({@link GraphTensors#copies}), copy i without edge i. The same numbers as one pass per edge (up to float
     * rounding); it saves the per-operation overhead only (measured: 13-14% less time per user, BENCHMARKS.md), as
     * the sparse products grow with the copies.
     */
    @Override
    public final float[][] probabilitiesWithoutEach(int[] edges) {
        float[][] out = new float[edges.length][];
        int e = graph.edgeCount();
        // copies per pass: up to 64, within MESSAGES_PER_PASS
        int batch = Math.max(1, Math.min(64, MESSAGES_PER_PASS / Math.max(1, e)));
        for (int from = 0; from < edges.length; from += batch) {
            int count = Math.min(batch, edges.length - from);
            float[] mask = new float[count * e];
            java.util.Arrays.fill(mask, 1f);
            for (int i = 0; i < count; i++) {
                mask[i * e + edges[from + i]] = 0f;
            }
            try (NDManager scratch = graph.manager().newSubManager();
                 GraphTensors copies = graph.copies(scratch, count);
                 NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                float[][] rows = outputOn(copies.withFixedEdgeMask(mask, copies.manager()), count);
                System.arraycopy(rows, 0, out, from, count);
            }
        }
        return out;
    }

    /**
     * The user's output probabilities, without gradients, on {@code g}: this prediction's graph (its messages
     * possibly scaled) or {@code copies} disjoint copies of it ({@link GraphTensors#copies}), the inputs repeated
     * per copy. Row b: the user in copy b (user index b * N + user).
     */
    protected abstract float[][] outputOn(GraphTensors g, int copies);

    /** The explained user's row in each of {@code copies} copies of the graph, [copies] indices. */
    protected final NDArray userRows(GraphTensors g, int copies) {
        int[] rows = new int[copies];
        for (int b = 0; b < copies; b++) {
            rows[b] = b * graph.nodeCount() + user;
        }
        return g.indices(rows);
    }

    /** {@code x} ([N x F]) repeated for each of {@code copies} copies, [copies * N x F]. */
    protected static NDArray repeated(NDArray x, int copies) {
        return x == null || copies == 1 ? x : x.tile(new long[] {copies, 1});
    }

    /** A [copies * K] row-major float array split into its rows. */
    protected static float[][] rows(float[] flat, int copies) {
        int width = flat.length / copies;
        float[][] out = new float[copies][];
        for (int b = 0; b < copies; b++) {
            out[b] = java.util.Arrays.copyOfRange(flat, b * width, (b + 1) * width);
        }
        return out;
    }

    /** The graph with its messages scaled by {@code edgeMask} ([E], differentiable), or as it is when null. */
    protected final GraphTensors masked(NDArray edgeMask) {
        return edgeMask == null ? graph : graph.withEdgeMask(edgeMask);
    }
}

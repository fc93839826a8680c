package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import org.lastfmgnn.graph.GraphSnapshot;

/**
 * The graph as tensors, built once per training run and owned by one manager: the GCN's normalised
 * adjacency, the edge lists and incidence matrix for attention, and the optional sparse artist features.
 * DJL has no scatter-add, so every "sum over incoming edges" is a sparse [N x E] product.
 */
public final class GraphTensors implements AutoCloseable {
    private final NDManager manager;
    private final int nodes;
    private final int edges;
    private final NDArray normalizedAdjacency;
    private final NDArray source;
    private final NDArray target;
    private final NDArray incidence;
    private final NDArray artists;
    private final int[] sourceIndex;
    private final int[] targetIndex;
    private final NDArray edgeWeights;
    private final NDArray edgeMask;
    private final NDArray artistMask;
    private final boolean view;

    /** @param withArtists include the user x artist likes as a sparse matrix */
    public GraphTensors(NDManager parent, GraphSnapshot g, boolean withArtists) {
        this(parent, g, withArtists, null);
    }

    /**
     * @param degrees the degree of each user in the whole graph, for the GCN normalisation, when {@code g} is a
     *                part of it (a computation subgraph whose outer users keep none of their friendships); null:
     *                the degrees in {@code g}
     */
    public GraphTensors(NDManager parent, GraphSnapshot g, boolean withArtists, int[] degrees) {
        this.manager = parent.newSubManager();
        this.nodes = g.userCount();
        int[] offsets = g.friendOffsets();
        int[] friends = g.friends();
        // Both directions of every friendship plus a self-loop per user: friendships are mutual.
        this.edges = friends.length + nodes;
        sourceIndex = new int[edges];
        targetIndex = new int[edges];
        float[] weight = new float[edges];
        float[] inv = new float[nodes];
        for (int u = 0; u < nodes; u++) {
            inv[u] = (float) (1 / Math.sqrt((degrees == null ? offsets[u + 1] - offsets[u] : degrees[u]) + 1));
        }
        int e = 0;
        for (int u = 0; u < nodes; u++) {
            sourceIndex[e] = u;
            targetIndex[e] = u;
            weight[e++] = inv[u] * inv[u];
            for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                int v = friends[k];
                sourceIndex[e] = v; // message from v to u
                targetIndex[e] = u;
                weight[e++] = inv[u] * inv[v];
            }
        }
        long[] src = toLong(sourceIndex);
        long[] dst = toLong(targetIndex);
        normalizedAdjacency = coo(weight, new long[][] {dst, src}, new Shape(nodes, nodes));
        float[] ones = new float[edges];
        java.util.Arrays.fill(ones, 1f);
        long[] edgeIds = new long[edges];
        for (int i = 0; i < edges; i++) {
            edgeIds[i] = i;
        }
        incidence = coo(ones, new long[][] {dst, edgeIds}, new Shape(nodes, edges));
        source = manager.create(src);
        target = manager.create(dst);
        edgeWeights = manager.create(weight);
        artists = withArtists ? artistMatrix(g) : null;
        edgeMask = null;
        artistMask = null;
        view = false;
    }

    private GraphTensors(GraphTensors base, NDArray edgeMask, NDArray artistMask) {
        this.manager = base.manager;
        this.nodes = base.nodes;
        this.edges = base.edges;
        this.normalizedAdjacency = base.normalizedAdjacency;
        this.source = base.source;
        this.target = base.target;
        this.incidence = base.incidence;
        this.artists = base.artists;
        this.sourceIndex = base.sourceIndex;
        this.targetIndex = base.targetIndex;
        this.edgeWeights = base.edgeWeights;
        this.edgeMask = edgeMask;
        this.artistMask = artistMask;
        this.view = true;
    }

    /**
     * The same graph with every message scaled by {@code mask} ([E], edges as in {@link #source()}): how
     * GNNExplainer asks what an edge is worth. Shares this graph's tensors; closing it frees nothing.
     */
    public GraphTensors withEdgeMask(NDArray mask) {
        return new GraphTensors(this, mask, artistMask);
    }

    /** The same graph with each artist's column of the likes scaled by {@code mask} ([artists]). */
    public GraphTensors withArtistMask(NDArray mask) {
        return new GraphTensors(this, edgeMask, mask);
    }

    /** The scale per artist input, or null when every artist counts fully. */
    public NDArray artistMask() {
        return artistMask;
    }

    /** The message scale per edge, or null when every message counts fully. */
    public NDArray edgeMask() {
        return edgeMask;
    }

    /** The GCN normalisation of each edge, [E]. */
    public NDArray edgeWeights() {
        return edgeWeights;
    }

    private NDArray artistMatrix(GraphSnapshot g) {
        int[] offsets = g.likeOffsets();
        int[] likes = g.likes();
        long[] rows = new long[likes.length];
        long[] cols = new long[likes.length];
        float[] values = new float[likes.length];
        for (int u = 0; u < nodes; u++) {
            // rows scaled to unit length: heavy and light listeners give inputs of the same size
            float scale = (float) (1 / Math.sqrt(Math.max(1, offsets[u + 1] - offsets[u])));
            for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                rows[k] = u;
                cols[k] = likes[k];
                values[k] = scale;
            }
        }
        return coo(values, new long[][] {rows, cols}, new Shape(nodes, Math.max(1, g.artistCount())));
    }

    /**
     * createCoo on the PyTorch engine keeps pointing at index/value buffers it frees right away; an immediate
     * copy gives the sparse tensor storage of its own (see STACK.md).
     */
    private NDArray coo(float[] values, long[][] indices, Shape shape) {
        FloatBuffer buffer = FloatBuffer.wrap(values);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray borrowed = scratch.createCoo(buffer, indices, shape);
            NDArray owned = borrowed.duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    private static long[] toLong(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    public NDManager manager() {
        return manager;
    }

    public int nodeCount() {
        return nodes;
    }

    public int edgeCount() {
        return edges;
    }

    /** D^-1/2 (A + I) D^-1/2 as a sparse [N x N] matrix. */
    public NDArray normalizedAdjacency() {
        return normalizedAdjacency;
    }

    /** Sender of each message edge (self-loops included), [E]. */
    public NDArray source() {
        return source;
    }

    /** Receiver of each message edge, [E]. */
    public NDArray target() {
        return target;
    }

    public int[] sourceIndex() {
        return sourceIndex;
    }

    public int[] targetIndex() {
        return targetIndex;
    }

    /** Sparse [N x E]: row n sums the messages that edges deliver to n. */
    public NDArray incidence() {
        return incidence;
    }

    /** Sparse [N x artists] likes, or null when artists are not an input. */
    public NDArray artists() {
        return artists;
    }

    /** Sparse [E x edgeIds.length] selecting the given edges: spreads a per-edge vector over all edges. */
    public NDArray edgeSelection(int[] edgeIds) {
        long[] rows = new long[edgeIds.length];
        long[] cols = new long[edgeIds.length];
        float[] ones = new float[edgeIds.length];
        for (int i = 0; i < edgeIds.length; i++) {
            rows[i] = edgeIds[i];
            cols[i] = i;
            ones[i] = 1;
        }
        return coo(ones, new long[][] {rows, cols}, new Shape(edges, Math.max(1, edgeIds.length)));
    }

    public NDArray dense(float[] values, int columns) {
        return manager.create(values, new Shape(nodes, columns));
    }

    public NDArray indices(int[] users) {
        return manager.create(toLong(users)).toType(DataType.INT64, false);
    }

    @Override
    public void close() {
        if (!view) {
            manager.close();
        }
    }
}

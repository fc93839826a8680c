package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.lastfmgnn.graph.ComputationSubgraph;
import org.lastfmgnn.graph.GraphSnapshot;

/**
 * The graph as tensors, built once per training run and owned by one manager: the message edges (both
 * directions of every friendship, plus a self-loop per user), the three adjacency operators the models
 * propagate with, the incidence matrix for per-edge work, and the optional sparse artist likes.
 *
 * <p>Every propagation goes through {@link #propagate}, so that an edge mask ({@link #withEdgeMask}) reaches all
 * of it: the GCN's messages, the label signals and the smoothing. Without a mask an operator is one sparse
 * product; with one, the sum is taken message by message (incidence x (weight * mask * x[source])), because
 * gradients do not flow into the values of a sparse matrix but do flow into dense messages. Every "sum over
 * incoming edges" is the [N x E] incidence matrix's product. Every sparse product here is a {@link SparseProduct}:
 * the COO product's values, and without a gradient (for the incidence matrix, with one too) at a fraction of its
 * cost.
 */
public final class GraphTensors implements AutoCloseable {
    /** The adjacency operators. Degrees are always the whole graph's, also under a mask (as PyG's explainers do). */
    public enum Adjacency {
        /** Kipf and Welling's D^-1/2 (A + I) D^-1/2, with degree + 1. */
        GCN,
        /** A: the plain sum over friends (no self-loop). */
        SUM,
        /** D^-1/2 A D^-1/2 without self-loops: label propagation's and Correct and Smooth's operator. */
        SYMMETRIC
    }

    private final NDManager manager;
    private final int nodes;
    private final int edges;
    private final SparseProduct[] operators;
    private final NDArray[] weights;
    private final NDArray source;
    private final NDArray target;
    private final SparseProduct incidence;
    private final EdgeAttention attention;
    /** The message edges' CSR row starts ([N + 1]): every operator's, the incidence matrix's too. */
    private final NDArray rowStarts;
    private final SparseProduct artists;
    private final NDArray degrees;
    private final NDArray edgeMask;
    private final NDArray artistMask;
    private final boolean view;
    private final long[][] edgeIndices;
    /** A fixed (no-gradient) mask's operators, built on first use; null for a differentiable mask. */
    private final float[] fixedMask;
    private final SparseProduct[] maskedOperators;

    /** @param withArtists include the user x artist likes as a sparse matrix */
    public GraphTensors(NDManager parent, GraphSnapshot g, boolean withArtists) {
        this(parent, g, withArtists, null);
    }

    /**
     * @param wholeGraphDegrees the degree of each user in the whole graph, for the normalisations, when {@code g}
     *                          is a part of it (a computation subgraph whose outer users keep none of their
     *                          friendships); null: the degrees in {@code g}
     */
    public GraphTensors(NDManager parent, GraphSnapshot g, boolean withArtists, int[] wholeGraphDegrees) {
        this(parent, Structure.of(g, withArtists, wholeGraphDegrees, null));
    }

    /**
     * A computation subgraph's tensors: its users' whole-graph degrees for the normalisations, and the messages a
     * sampled user receives scaled by {@link ComputationSubgraph#messageScale()}.
     */
    public GraphTensors(NDManager parent, ComputationSubgraph sub, boolean withArtists) {
        this(parent, Structure.of(sub.graph(), withArtists, sub.degrees(), sub.messageScale()));
    }

    /**
     * What the tensors are built from, as plain arrays: the message edges with their weight under each
     * {@link Adjacency} (edges as in {@link #source()}), the users' degrees, and the likes (null: none).
     */
    private record Structure(int nodes, int[] sourceIndex, int[] targetIndex, float[][] perEdge, float[] degree,
                             Likes likes) {
        static Structure of(GraphSnapshot g, boolean withArtists, int[] wholeGraphDegrees, float[] messageScale) {
            int nodes = g.userCount();
            int[] offsets = g.friendOffsets();
            int[] friends = g.friends();
            int edges = friends.length + nodes;
            int[] sourceIndex = new int[edges];
            int[] targetIndex = new int[edges];
            float[] gcn = new float[edges];
            float[] sum = new float[edges];
            float[] symmetric = new float[edges];
            float[] degree = new float[nodes];
            float[] invPlusOne = new float[nodes];
            float[] inv = new float[nodes];
            for (int u = 0; u < nodes; u++) {
                degree[u] = wholeGraphDegrees == null ? offsets[u + 1] - offsets[u] : wholeGraphDegrees[u];
                invPlusOne[u] = (float) (1 / Math.sqrt(degree[u] + 1));
                inv[u] = degree[u] == 0 ? 0 : (float) (1 / Math.sqrt(degree[u]));
            }
            int e = 0;
            for (int u = 0; u < nodes; u++) {
                sourceIndex[e] = u;
                targetIndex[e] = u;
                gcn[e++] = invPlusOne[u] * invPlusOne[u]; // the self-loop: only the GCN operator has it
                for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                    int v = friends[k];
                    sourceIndex[e] = v; // message from v to u
                    targetIndex[e] = u;
                    gcn[e] = invPlusOne[u] * invPlusOne[v];
                    sum[e] = 1;
                    symmetric[e] = inv[u] * inv[v];
                    if (messageScale != null && messageScale[u] != 1) {
                        gcn[e] *= messageScale[u];
                        sum[e] *= messageScale[u];
                        symmetric[e] *= messageScale[u];
                    }
                    e++;
                }
            }
            return new Structure(nodes, sourceIndex, targetIndex, new float[][] {gcn, sum, symmetric}, degree,
                    withArtists ? Likes.of(g) : null);
        }

        /** {@code count} disjoint copies: user u of copy b is b * N + u, edge e of copy b is b * E + e. */
        Structure copies(int count) {
            int n = nodes;
            int e = sourceIndex.length;
            int[] src = new int[count * e];
            int[] dst = new int[count * e];
            float[][] weights = new float[perEdge.length][count * e];
            float[] deg = new float[count * n];
            for (int b = 0; b < count; b++) {
                for (int i = 0; i < e; i++) {
                    src[b * e + i] = b * n + sourceIndex[i];
                    dst[b * e + i] = b * n + targetIndex[i];
                }
                for (int a = 0; a < perEdge.length; a++) {
                    System.arraycopy(perEdge[a], 0, weights[a], b * e, e);
                }
                System.arraycopy(degree, 0, deg, b * n, n);
            }
            return new Structure(count * n, src, dst, weights, deg, likes == null ? null : likes.copies(count, n));
        }
    }

    /** Each user's liked artists, CSR (the snapshot's own arrays, not copied). */
    private record Likes(int[] offsets, int[] likes, int artists) {
        static Likes of(GraphSnapshot g) {
            return new Likes(g.likeOffsets(), g.likes(), Math.max(1, g.artistCount()));
        }

        Likes copies(int count, int users) {
            int m = likes.length;
            int[] o = new int[count * users + 1];
            int[] l = new int[count * m];
            for (int b = 0; b < count; b++) {
                for (int u = 0; u < users; u++) {
                    o[b * users + u + 1] = b * m + offsets[u + 1];
                }
                System.arraycopy(likes, 0, l, b * m, m);
            }
            return new Likes(o, l, artists);
        }
    }

    private final Structure structure;

    private GraphTensors(NDManager parent, Structure s) {
        this.manager = parent.newSubManager();
        this.structure = s;
        this.nodes = s.nodes();
        this.edges = s.sourceIndex().length;
        long[] src = toLong(s.sourceIndex());
        long[] dst = toLong(s.targetIndex());
        float[][] perEdge = s.perEdge();
        edgeIndices = new long[][] {dst, src};
        fixedMask = null;
        maskedOperators = null;
        source = Tensors.of(manager, src);
        target = Tensors.of(manager, dst);
        // the operators share one CSR structure: the messages' row starts, their sources as columns, and each
        // operator's per-edge weights as values
        rowStarts = SparseProduct.rowStarts(manager, dst, nodes);
        operators = new SparseProduct[perEdge.length];
        weights = new NDArray[perEdge.length];
        for (Adjacency a : Adjacency.values()) {
            weights[a.ordinal()] = Tensors.of(manager, perEdge[a.ordinal()], new Shape(edges, 1));
            NDArray coo = SparseProduct.coo(manager, perEdge[a.ordinal()], new long[][] {dst, src},
                    new Shape(nodes, nodes));
            operators[a.ordinal()] = new SparseProduct(coo, rowStarts, source, weights[a.ordinal()].reshape(edges));
        }
        incidence = SparseProduct.sumByRow(manager, dst, rowStarts, target);
        attention = new EdgeAttention(rowStarts, source, target, incidence.columns());
        degrees = Tensors.of(manager, s.degree(), new Shape(nodes, 1));
        artists = s.likes() == null ? null : artistMatrix(s.likes());
        edgeMask = null;
        artistMask = null;
        view = false;
    }

    /**
     * {@code count} disjoint copies of this graph as one graph ([count * N] users, [count * E] message edges; user u
     * of copy b is b * N + u, edge e of copy b is b * E + e), with the same weights and degrees: one forward pass over
     * it is {@code count} independent passes over this graph, e.g. each with another edge masked (occlusion).
     * Masks are not copied. Owned by {@code parent}'s new sub-manager: the caller closes it.
     */
    public GraphTensors copies(NDManager parent, int count) {
        return new GraphTensors(parent, structure.copies(count));
    }

    private GraphTensors(GraphTensors base, NDArray edgeMask, NDArray artistMask) {
        this(base, edgeMask, artistMask, null);
    }

    private GraphTensors(GraphTensors base, NDArray edgeMask, NDArray artistMask, float[] fixedMask) {
        this.manager = base.manager;
        this.structure = base.structure;
        this.nodes = base.nodes;
        this.edges = base.edges;
        this.operators = base.operators;
        this.weights = base.weights;
        this.source = base.source;
        this.target = base.target;
        this.incidence = base.incidence;
        this.attention = base.attention;
        this.rowStarts = base.rowStarts;
        this.artists = base.artists;
        this.degrees = base.degrees;
        this.edgeMask = edgeMask;
        this.artistMask = artistMask;
        this.view = true;
        this.edgeIndices = base.edgeIndices;
        this.fixedMask = fixedMask;
        this.maskedOperators = fixedMask == null ? null : new SparseProduct[Adjacency.values().length];
    }

    /**
     * The same graph with every message scaled by {@code mask} ([E], edges as in {@link #source()}): how an
     * explainer asks what an edge is worth. Shares this graph's tensors; closing it frees nothing.
     */
    public GraphTensors withEdgeMask(NDArray mask) {
        return new GraphTensors(this, mask, artistMask);
    }

    /**
     * The same graph with a fixed mask ([E] values, no gradient): for fidelity and occlusion, where each masked
     * graph is only evaluated. Its operators are sparse matrices with the masked weights, built on first use and
     * owned by {@code manager}; the mask is also kept as a tensor for the attention layers.
     */
    public GraphTensors withFixedEdgeMask(float[] mask, NDManager owner) {
        NDArray tensor = Tensors.of(owner, mask);
        return new GraphTensors(this, tensor, artistMask, mask);
    }

    /** The same graph with every message at full weight (the artist mask kept). */
    public GraphTensors withoutEdgeMask() {
        return edgeMask == null ? this : new GraphTensors(this, null, artistMask);
    }

    /** The same graph with each artist's column of the likes scaled by {@code mask} ([artists]). */
    public GraphTensors withArtistMask(NDArray mask) {
        return new GraphTensors(this, edgeMask, mask);
    }

    /**
     * Operator {@code a} applied to {@code x} ([N x F] -> [N x F]): row u sums weight(v -> u) * x[v] over the
     * messages u receives, each scaled by the edge mask when there is one.
     */
    public NDArray propagate(Adjacency a, NDArray x) {
        if (edgeMask == null) {
            return operators[a.ordinal()].times(x);
        }
        if (fixedMask != null) {
            int i = a.ordinal();
            if (maskedOperators[i] == null) {
                float[] values = structure.perEdge()[i].clone();
                for (int e = 0; e < values.length; e++) {
                    values[e] *= fixedMask[e];
                }
                NDManager owner = edgeMask.getManager();
                maskedOperators[i] = new SparseProduct(SparseProduct.coo(owner, values, edgeIndices,
                        new Shape(nodes, nodes)), rowStarts, source, Tensors.of(owner, values));
            }
            return maskedOperators[i].times(x);
        }
        NDArray scale = weights[a.ordinal()].mul(edgeMask.reshape(edges, 1));
        return sumIncoming(x.get(source).mul(scale));
    }

    /** Operator {@code a} as a sparse [N x N] COO matrix (no mask). */
    public NDArray operator(Adjacency a) {
        return operators[a.ordinal()].coo();
    }

    /** The scale per artist input, or null when every artist counts fully. */
    public NDArray artistMask() {
        return artistMask;
    }

    /** The message scale per edge, or null when every message counts fully. */
    public NDArray edgeMask() {
        return edgeMask;
    }

    /** Each user's whole-graph degree, [N x 1]. */
    public NDArray degrees() {
        return degrees;
    }

    /** Likes per chunk of the native build: one 16 MB direct buffer, reused, whatever the graph's size. */
    public static final int LIKES_CHUNK = 1 << 20;

    private SparseProduct artistMatrix(Likes l) {
        return likesMatrix(manager, l.offsets(), l.likes(), nodes, l.artists(), LIKES_CHUNK);
    }

    /**
     * Sparse [users x artists] likes, each row scaled to unit length (heavy and light listeners give inputs of the
     * same size). Built natively, chunk by chunk: the [2 x L] int64 indices are filled {@code chunk} likes at a time
     * from the int CSR arrays, the values gathered from the rows' scales, and the sparse tensor made over them
     * (libtorch keeps their storage), so that neither the heap nor native memory ever holds the likes twice, as
     * building through {@code createCoo} did (Java long[] and float[] arrays, its borrowed tensor, then our copy
     * of it: the copies that made 100x fail). Each chunk goes through one direct buffer, reused: a new array or
     * buffer per chunk is garbage the JVM frees only at its next collection, and a mini-batch builds a subgraph's
     * likes every step (with 16 MB Java arrays per chunk, the JVM enlarged its heap by 200 MB at 1x).
     */
    static SparseProduct likesMatrix(NDManager manager, int[] offsets, int[] likes, int users, int artists, int chunk) {
        int total = likes.length;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray indices = scratch.zeros(new Shape(2, total), DataType.INT64);
            int user = 0;
            java.nio.ByteBuffer buffer = Tensors.direct(2 * Math.max(1, Math.min(total, chunk)) * Long.BYTES);
            for (int from = 0; from < total; from += chunk) {
                int to = Math.min(total, from + chunk);
                int length = to - from;
                java.nio.LongBuffer part = buffer.asLongBuffer();
                for (int k = from; k < to; k++) {
                    while (offsets[user + 1] <= k) {
                        user++;
                    }
                    part.put(k - from, user);
                    part.put(length + k - from, likes[k]);
                }
                // set copies the piece into the indices before the buffer is written again
                try (NDArray piece = Tensors.longsIn(scratch, buffer, new Shape(2, length))) {
                    indices.set(new ai.djl.ndarray.index.NDIndex(":, {}:{}", from, to), piece);
                }
            }
            float[] scale = new float[users];
            for (int u = 0; u < users; u++) {
                scale[u] = (float) (1 / Math.sqrt(Math.max(1, offsets[u + 1] - offsets[u])));
            }
            NDArray values = Tensors.of(scratch, scale).get(indices.get(0));
            NDArray sparse = ai.djl.pytorch.jni.JniUtils.createSparseCoo((ai.djl.pytorch.engine.PtNDArray) indices,
                    (ai.djl.pytorch.engine.PtNDArray) values, new Shape(users, artists));
            // the CSR form shares the COO tensor's storage: its columns are the indices' second row, a view
            NDArray columns = indices.get(1);
            NDArray rowStarts = Tensors.of(manager, toLong(java.util.Arrays.copyOf(offsets, users + 1)));
            for (NDArray kept : new NDArray[] {sparse, columns, values}) {
                kept.attach(manager);
            }
            return new SparseProduct(sparse, rowStarts, columns, values);
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

    /** Sender of each message edge (self-loops included), [E]. */
    public NDArray source() {
        return source;
    }

    /** Receiver of each message edge, [E]. */
    public NDArray target() {
        return target;
    }

    public int[] sourceIndex() {
        return structure.sourceIndex();
    }

    public int[] targetIndex() {
        return structure.targetIndex();
    }

    /** Sums per receiver of per-edge values: [E x F] -> [N x F], row n the sum over the edges that deliver to n. */
    public NDArray sumIncoming(NDArray perEdge) {
        return incidence.times(perEdge);
    }

    /** The GAT's fused per-edge work on these messages (see {@link EdgeAttention}). */
    EdgeAttention attention() {
        return attention;
    }

    /** Sparse [N x artists] likes, or null when artists are not an input. */
    public SparseProduct artists() {
        return artists;
    }

    /**
     * A full-graph edge mask [E] that is 1 everywhere except on {@code edgeIds}, where it is {@code values} ([m],
     * differentiable): a sparse [E x m] selection spreads the candidates' values over all edges.
     */
    public NDArray spreadMask(int[] edgeIds, NDArray values) {
        long[] rows = new long[edgeIds.length];
        long[] cols = new long[edgeIds.length];
        float[] ones = new float[edgeIds.length];
        for (int i = 0; i < edgeIds.length; i++) {
            rows[i] = edgeIds[i];
            cols[i] = i;
            ones[i] = 1;
        }
        NDArray selection = SparseProduct.coo(manager, ones, new long[][] {rows, cols},
                new Shape(edges, Math.max(1, edgeIds.length)));
        selection.attach(values.getManager());
        NDArray padded = edgeIds.length == 0 ? values.getManager().zeros(new Shape(1, 1))
                : values.sub(1f).reshape(-1, 1);
        return selection.matMul(padded).reshape(-1).add(1f);
    }

    public NDArray dense(float[] values, int columns) {
        return Tensors.of(manager, values, new Shape(nodes, columns));
    }

    public NDArray indices(int[] users) {
        return Tensors.indices(manager, users);
    }

    @Override
    public void close() {
        if (!view) {
            manager.close();
        }
    }
}

package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Friend (link) prediction: a GCN encoder over the friendships gives each user an embedding; a pair's logit is an
 * MLP over [h_u * h_v | pair features] (common neighbours, Adamic-Adar, resource allocation, Jaccard, degrees,
 * same region: {@link org.lastfmgnn.recommend.PairFeatures}).
 * <pre>
 *   node inputs [N x F] -> GCN (hidden, then embedding) -> H [N x d]
 *   pairs (u, v) [P], pair features [P x K] -> [H[u] * H[v] | features] [P x (d + K)] -> hidden -> logit [P]
 * </pre>
 * Parameters live in a manager the predictor owns.
 */
public final class LinkPredictor implements AutoCloseable {
    private final NodeClassifier encoder;
    private final Linear hidden;
    private final Linear out;

    public LinkPredictor(NDManager parent, int nodeInputs, int hiddenSize, int embedding, int pairFeatures, double dropout,
                         long seed) {
        encoder = new NodeClassifier(parent, new ModelShape(Architecture.GCN, nodeInputs, 0, new int[] {hiddenSize},
                1, embedding, 0, dropout), seed);
        Random random = new Random(seed ^ 0x9E3779B97F4A7C15L);
        hidden = new Linear(encoder.manager(), "decoder.hidden", random, embedding + pairFeatures, hiddenSize, 0);
        out = new Linear(encoder.manager(), "decoder.out", random, hiddenSize, 1, 0);
    }

    /** Width of the decoder's hidden layer and of the encoder's hidden layer. */
    public static final int HIDDEN = 32;
    /** Width of a user's embedding. */
    public static final int EMBEDDING = 32;
    public static final double DROPOUT = 0.2;

    /**
     * The predictor the friend evaluation trains and the catalog saves: node inputs of {@code classes} regions
     * ({@link #nodeInputs}), {@value #HIDDEN} hidden, {@value #EMBEDDING}-wide embeddings, every pair feature.
     */
    public static LinkPredictor standard(NDManager parent, int classes, long seed) {
        return new LinkPredictor(parent, classes + 3, HIDDEN, EMBEDDING,
                org.lastfmgnn.recommend.PairFeatures.NAMES.size(), DROPOUT, seed);
    }

    /** User embeddings [N x d]. */
    public NDArray embed(GraphTensors graph, NDArray nodeInputs, boolean training) {
        return encoder.forward(graph, nodeInputs, training);
    }

    /** Logits [P] of the pairs {@code u[i]}-{@code v[i]} ([P] index arrays) with their features [P x K]. */
    public NDArray logits(GraphTensors graph, NDArray embeddings, NDArray u, NDArray v, NDArray pairFeatures,
                          boolean training) {
        NDArray product = embeddings.get(u).mul(embeddings.get(v));
        NDArray x = NDArrays.concat(new NDList(product, pairFeatures), 1);
        NDArray h = Activation.relu(hidden.forward(graph, x, training));
        return out.forward(graph, h, training).reshape(-1);
    }

    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.addAll(hidden.parameters());
        all.addAll(out.parameters());
        return all;
    }

    public float[][] snapshot() {
        return Parameter.snapshot(parameters());
    }

    public void restore(float[][] values) {
        Parameter.restore(parameters(), values);
    }

    /** Node inputs [N x (classes + 3)]: the known region one-hot (a column for unknown), log degree, 1/sqrt(degree+1). */
    public static float[] nodeInputs(org.lastfmgnn.graph.GraphSnapshot g, int classes) {
        int width = classes + 3;
        float[] x = new float[g.userCount() * width];
        for (int u = 0; u < g.userCount(); u++) {
            int r = g.regions()[u];
            x[u * width + (r >= 0 ? r : classes)] = 1;
            x[u * width + classes + 1] = (float) (Math.log1p(g.degree(u)) / Math.log1p(256));
            x[u * width + classes + 2] = (float) (1 / Math.sqrt(g.degree(u) + 1.0));
        }
        return x;
    }

    public static Shape nodeInputShape(int users, int classes) {
        return new Shape(users, classes + 3);
    }

    @Override
    public void close() {
        encoder.close();
    }
}

package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Artist recommendation as a graph encoder and a dot-product decoder: a user's embedding comes from the GCN/GAT
 * over friendships and the visible likes; an artist's score for the user is embedding . artist vector + artist
 * bias + learned per-artist weights on the "wide" signals of the user ({@link #WIDE}: the shares of its visible
 * friends, of its friends of friends and of its region who like the artist, [users x artists] each). The wide
 * terms are message passes kept at full rank: the 64-wide embedding alone cannot carry a 7,842-wide taste
 * (measured: without them the model only matches popularity). The scores are logits: the one sigmoid is inside
 * the loss (SEED.md flaw 2).
 */
public final class ArtistRecommender implements AutoCloseable {
    private final NodeClassifier encoder;
    /** The wide signals, in the order {@link #scores} takes them: the blend baseline's, normalised per user. */
    public static final java.util.List<String> WIDE = java.util.List.of("popularity", "region", "friends",
            "friendsOfFriends", "itemKnn");

    private final Parameter artistVectors;
    private final Parameter artistBias;
    private final Parameter[] wideWeights;

    /** @param shape the encoder; its {@code classes} is the embedding size */
    public ArtistRecommender(NDManager parent, ModelShape shape, int artists, long seed) {
        this(parent, shape, artists, seed, null);
    }

    /**
     * @param wideInit each wide signal's starting weight (every artist the same), or null for 1 each. Started from
     *                 the tuned blend's weights, with the artist vectors at zero, the model ranks exactly as the
     *                 blend does before its first step: training starts from the best baseline, and validation keeps
     *                 an epoch only if it is better.
     */
    public ArtistRecommender(NDManager parent, ModelShape shape, int artists, long seed, double[] wideInit) {
        encoder = new NodeClassifier(parent, shape, seed);
        Random random = new Random(seed ^ 0x5DEECE66DL);
        artistVectors = wideInit != null ? Parameter.zeros(encoder.manager(), "decoder.artistVectors", new Shape(artists, shape.classes()))
                : Parameter.glorot(encoder.manager(), "decoder.artistVectors", random, shape.classes(), artists,
                new Shape(artists, shape.classes()));
        artistBias = Parameter.zeros(encoder.manager(), "decoder.artistBias", new Shape(artists));
        // Start at 1, about what the share of friends is worth in logits for popular artists; from zero, Adam's
        // small steps never get there before validation stops the run.
        wideWeights = new Parameter[WIDE.size()];
        for (int i = 0; i < wideWeights.length; i++) {
            float init = wideInit == null ? 1f : (float) wideInit[i];
            wideWeights[i] = Parameter.constant(encoder.manager(), "decoder." + WIDE.get(i) + "Weight", new Shape(artists), init);
        }
    }

    /** User embeddings [N x d]; the likes of users whose {@code artistRows} entry is 0 are hidden. */
    public NDArray embed(GraphTensors graph, NDArray features, NDArray artistRows, boolean training) {
        return encoder.forward(graph, features, artistRows, training);
    }

    /** Logits [users x artists] for the given user embeddings and their {@link #WIDE} signals ([users x artists] each). */
    public NDArray scores(NDArray userEmbeddings, NDArray[] wide) {
        NDArray out = userEmbeddings.matMul(artistVectors.array().transpose()).add(artistBias.array());
        for (int i = 0; i < wideWeights.length; i++) {
            out = out.add(wide[i].mul(wideWeights[i].array()));
        }
        return out;
    }

    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.add(artistVectors);
        all.add(artistBias);
        all.addAll(java.util.Arrays.asList(wideWeights));
        return all;
    }

    public float[][] snapshot() {
        return Parameter.snapshot(parameters());
    }

    public void restore(float[][] values) {
        Parameter.restore(parameters(), values);
    }

    public ModelShape shape() {
        return encoder.shape();
    }

    @Override
    public void close() {
        encoder.close();
    }
}

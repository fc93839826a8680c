package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.model.GatPropagation;
import org.lastfmgnn.model.GraphTensors;

/**
 * One recommended artist: log sigmoid of the artist's score for the user. {@code wide} (the decoder's wide signals,
 * [1 x artists] each) and {@code visibleRows} ([N x 1]) are the decoder's and encoder's other inputs, fixed during
 * the explanation: the edge mask reaches the encoder's messages, not the wide shares, which are computed outside
 * the network. The artist mask covers every artist column of the likes (the friends' likes that reach the user).
 */
public final class ArtistExplained implements ExplainedPrediction {
    private final ArtistRecommender model;
    private final GraphTensors graph;
    private final NDArray features;
    private final NDArray[] wide;
    private final NDArray visibleRows;
    private final int user;
    private final int artist;
    private final int[] artists;
    private final List<String> featureNames;

    public ArtistExplained(ArtistRecommender model, GraphTensors graph, NDArray features, List<String> featureNames,
                           NDArray[] wide, NDArray visibleRows, int user, int artist, int artistCount) {
        this.model = model;
        this.graph = graph;
        this.features = features;
        this.featureNames = featureNames;
        this.wide = wide;
        this.visibleRows = visibleRows;
        this.user = user;
        this.artist = artist;
        this.artists = java.util.stream.IntStream.range(0, artistCount).toArray();
    }

    @Override
    public GraphTensors graph() {
        return graph;
    }

    @Override
    public int user() {
        return user;
    }

    @Override
    public int explainedClass() {
        return artist;
    }

    @Override
    public float[] probabilities(float[] edgeMask) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            GraphTensors g = edgeMask == null ? graph : graph.withFixedEdgeMask(edgeMask, graph.manager());
            return new float[] {(float) Math.exp(score(g, features).getFloat())};
        }
    }

    @Override
    public NDArray logProbability(NDArray edgeMask, NDArray featureMask, NDArray artistMask) {
        GraphTensors g = edgeMask == null ? graph : graph.withEdgeMask(edgeMask);
        if (artistMask != null) {
            g = g.withArtistMask(artistMask);
        }
        return score(g, featureMask == null ? features : features.mul(featureMask));
    }

    /** log sigmoid of the artist's logit: -log(1 + exp(-z)). */
    private NDArray score(GraphTensors g, NDArray x) {
        NDArray embedding = model.embed(g, x, visibleRows, false).get(user).reshape(1, -1);
        NDArray logit = model.scores(embedding, wide).get(0, artist);
        return logit.neg().exp().add(1f).log().neg();
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    @Override
    public int[] artists() {
        return artists;
    }

    @Override
    public boolean isClassifier() {
        return false;
    }

    @Override
    public List<GatPropagation> attentionLayers() {
        return List.of();
    }
}

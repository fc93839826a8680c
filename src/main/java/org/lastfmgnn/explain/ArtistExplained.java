package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.model.GatPropagation;
import org.lastfmgnn.model.GraphTensors;

/**
 * One recommended artist: log sigmoid of the artist's score for the user. {@code prior} (the model's head, [1 x
 * artists]) and {@code visibleRows} ([N x 1]) are the decoder's and encoder's other inputs, fixed during the
 * explanation: the edge mask reaches the encoder's messages, not the head's signals, which are computed outside the
 * network. The artist mask covers every artist column of the likes (the friends' likes that reach the user).
 */
public final class ArtistExplained extends UserPrediction {
    private final ArtistRecommender model;
    private final NDArray features;
    private final NDArray prior;
    private final NDArray visibleRows;
    private final int artist;
    private final int[] artists;
    private final List<String> featureNames;

    public ArtistExplained(ArtistRecommender model, GraphTensors graph, NDArray features, List<String> featureNames,
                           NDArray prior, NDArray visibleRows, int user, int artist, int artistCount) {
        super(graph, user);
        this.model = model;
        this.features = features;
        this.featureNames = featureNames;
        this.prior = prior;
        this.visibleRows = visibleRows;
        this.artist = artist;
        this.artists = java.util.stream.IntStream.range(0, artistCount).toArray();
    }

    @Override
    public int explainedClass() {
        return artist;
    }

    @Override
    protected float[][] outputOn(GraphTensors g, int copies) {
        NDArray embeddings = model.embed(g, repeated(features, copies), repeated(visibleRows, copies), false)
                .get(userRows(g, copies));
        float[] logits = model.scores(embeddings, prior).get(":, " + artist).toFloatArray();
        float[][] out = new float[copies][];
        for (int b = 0; b < copies; b++) {
            out[b] = new float[] {(float) (1 / (1 + Math.exp(-logits[b])))};
        }
        return out;
    }

    @Override
    public NDArray logProbability(NDArray edgeMask, NDArray featureMask, NDArray artistMask) {
        GraphTensors g = masked(edgeMask);
        if (artistMask != null) {
            g = g.withArtistMask(artistMask);
        }
        return score(g, featureMask == null ? features : features.mul(featureMask));
    }

    /** log sigmoid of the artist's logit: -log(1 + exp(-z)). */
    private NDArray score(GraphTensors g, NDArray x) {
        NDArray embedding = model.embed(g, x, visibleRows, false).get(user()).reshape(1, -1);
        NDArray logit = model.scores(embedding, prior).get(0, artist);
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

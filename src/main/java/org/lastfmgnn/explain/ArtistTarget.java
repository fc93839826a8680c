package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.model.GraphTensors;

/**
 * One recommended artist: log sigmoid of the artist's score for the user. {@code friendShare} ([1 x artists]) and
 * {@code visibleRows} ([N x 1]) are the decoder's and encoder's other inputs, fixed during the explanation.
 */
public record ArtistTarget(ArtistRecommender model, int user, int artist, NDArray friendShare, NDArray visibleRows)
        implements GnnExplainer.Target {
    @Override
    public NDArray logProbability(GraphTensors graph, NDArray features) {
        NDArray embedding = model.embed(graph, features, visibleRows, false).get(user).reshape(1, -1);
        NDArray logit = model.scores(embedding, friendShare).get(0, artist);
        // log sigmoid(z) = -log(1 + exp(-z))
        return logit.neg().exp().add(1f).log().neg();
    }
}

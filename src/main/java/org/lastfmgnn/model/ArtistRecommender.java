package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Artist recommendation as a logistic head plus a graph encoder's correction. An artist's score for a user (a logit)
 * is {@code prior + embedding . artist vector + artist bias}: the prior is the head's, a logistic regression over
 * the pair's {@link org.lastfmgnn.recommend.ArtistPairFeatures} (the visible users' likes around the user: regional
 * and global popularity, the shares of friends and friends of friends, ...) with one weight per feature shared by
 * every artist, fitted in closed form before training and then held fixed; the embedding comes from the GCN/GAT over
 * friendships and the visible likes, and learns what the prior misses. The head's features stay at full rank (one
 * value per artist): the 64-wide embedding alone cannot carry a 7,842-wide taste (measured: alone it only matches
 * popularity). The artist vectors start at zero, so before its first step the model ranks exactly as its head.
 * The scores are logits: the one sigmoid is inside the loss (SEED.md flaw 2).
 */
public final class ArtistRecommender implements AutoCloseable {
    private final NodeClassifier encoder;
    private final Parameter artistVectors;
    private final Parameter artistBias;
    /** [WIDTH + 1]: the head's weights, then its intercept; stored with the model, never trained by gradients. */
    private final Parameter head;

    /**
     * @param shape the encoder; its {@code classes} is the embedding size
     * @param seed  the encoder's initial weights
     * @param head  the fitted head ({@link org.lastfmgnn.recommend.ArtistPairFeatures#WIDTH} weights, then the
     *              intercept), or null for zeros (a model whose weights are about to be restored)
     */
    public ArtistRecommender(NDManager parent, ModelShape shape, int artists, long seed, float[] head) {
        encoder = new NodeClassifier(parent, shape, seed);
        artistVectors = Parameter.zeros(encoder.manager(), "decoder.artistVectors",
                new Shape(artists, shape.classes()));
        artistBias = Parameter.zeros(encoder.manager(), "decoder.artistBias", new Shape(artists));
        Shape headShape = new Shape(org.lastfmgnn.recommend.ArtistPairFeatures.WIDTH + 1);
        this.head = head == null ? Parameter.zeros(encoder.manager(), "decoder.head", headShape)
                : Parameter.of(encoder.manager(), "decoder.head", head, headShape);
    }

    /** User embeddings [N x d]; the likes of users whose {@code artistRows} entry is 0 are hidden. */
    public NDArray embed(GraphTensors graph, NDArray features, NDArray artistRows, boolean training) {
        return encoder.forward(graph, features, artistRows, training);
    }

    /** Logits [users x artists] for the given user embeddings [users x d] and their head's priors [users x artists]. */
    public NDArray scores(NDArray userEmbeddings, NDArray prior) {
        return userEmbeddings.matMul(artistVectors.array().transpose()).add(artistBias.array()).add(prior);
    }

    /** The head's weights and intercept, as fitted. */
    public float[] head() {
        return head.values();
    }

    /** Everything stored with the model, the head included. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(trainable());
        all.add(head);
        return all;
    }

    /** What gradient steps update: the encoder, the artist vectors and biases (not the head). */
    public List<Parameter> trainable() {
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.add(artistVectors);
        all.add(artistBias);
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

package org.lastfmgnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.model.Gradients;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.Losses;
import org.lastfmgnn.model.Parameter;
import org.lastfmgnn.model.Tensors;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.recommend.ArtistPairFeatures;
import org.lastfmgnn.recommend.ArtistSignals;
import org.lastfmgnn.recommend.Ranking;

/**
 * Trains an artist recommender on one split. Each epoch, half of the fitting users (at random) show their
 * likes; from the other half, whose likes are hidden, a batch are the targets of a full-width loss over every
 * artist (binary cross-entropy on logits). Validation users never show their likes; every few epochs their
 * NDCG@20 picks the epoch to keep.
 */
public final class ArtistFit {
    /** What a fit produced. */
    public record Outcome(int bestEpoch, double validationNdcg, int epochsRun, double millisPerEpoch) {
    }

    static final int EVALUATE_EVERY = 5;
    private static final int SCORE_CHUNK = 512;

    private ArtistFit() {
    }

    /**
     * @param fitSignals the signals of exactly the {@code fitUsers}' likes: the validation users' inputs
     */
    public static Outcome fit(ArtistRecommender model, GraphTensors tensors, GraphSnapshot g, ArtistSignals fitSignals,
                              int[] fitUsers, int[] validationUsers, HyperParameters hp, int batchSize, long seed,
                              ProgressTracker progress, Workers workers) {
        Random random = new Random(seed);
        int n = g.userCount();
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) hp.learningRate()))
                .optWeightDecays((float) hp.weightDecay())
                .build();
        boolean[] fitMask = RegionFit.mask(n, fitUsers);
        if (!java.util.Arrays.equals(fitMask, fitSignals.visible())) {
            throw new IllegalArgumentException("fitSignals must read exactly the fitting users' likes");
        }
        float[][] best = model.snapshot();
        // the head is not trained: the validation users' head logits are the same at every evaluation
        float[] validationPrior = priorValues(model.head(), fitSignals, validationUsers, workers);
        // the model as it starts is a candidate too (its artist vectors at zero, it ranks as its fitted head)
        double bestNdcg = validationNdcg(model, tensors, g, fitSignals, validationUsers, validationPrior, workers);
        int bestEpoch = 0;
        int epoch;
        long start = System.nanoTime();
        int[] shuffled = fitUsers.clone();
        for (epoch = 1; epoch <= hp.epochs(); epoch++) {
            progress.checkCancelled();
            Folds.shuffle(shuffled, random);
            int hidden = Math.max(1, shuffled.length / 2);
            boolean[] visible = fitMask.clone();
            for (int i = 0; i < hidden; i++) {
                visible[shuffled[i]] = false;
            }
            int[] targets = java.util.Arrays.copyOf(shuffled, Math.min(batchSize, hidden));
            step(model, tensors, g, new ArtistSignals(g, visible), visible, targets, workers);
            for (Parameter p : model.trainable()) {
                try (NDArray gradient = p.array().getGradient()) {
                    adam.update(p.name(), p.array(), gradient);
                }
            }
            if (epoch % EVALUATE_EVERY == 0 || epoch == hp.epochs()) {
                double ndcg = validationNdcg(model, tensors, g, fitSignals, validationUsers, validationPrior, workers);
                if (ndcg > bestNdcg) {
                    bestNdcg = ndcg;
                    bestEpoch = epoch;
                    best = model.snapshot();
                }
                if (epoch - bestEpoch >= hp.patience()) {
                    break;
                }
            }
        }
        int ran = Math.min(epoch, hp.epochs());
        model.restore(best);
        return new Outcome(bestEpoch, bestNdcg, ran, (System.nanoTime() - start) / 1e6 / Math.max(1, ran));
    }

    private static void step(ArtistRecommender model, GraphTensors tensors, GraphSnapshot g, ArtistSignals signals,
                             boolean[] visible, int[] targets, Workers workers) {
        int artists = g.artistCount();
        try (NDScope scope = new NDScope();
             GradientCollector collector = Gradients.taped()) {
            scope.suppressNotUsedWarning();
            Parameter.zeroGradients(model.trainable());
            NDArray embeddings = model.embed(tensors, features(tensors, g, visible), rows(tensors, visible), true);
            NDArray logits = model.scores(embeddings.get(tensors.indices(targets)),
                    prior(model, tensors, signals, targets, workers));
            float[] truth = new float[targets.length * artists];
            for (int i = 0; i < targets.length; i++) {
                int u = targets[i];
                for (int k = g.likeOffsets()[u]; k < g.likeOffsets()[u + 1]; k++) {
                    truth[i * artists + g.likes()[k]] = 1;
                }
            }
            NDArray y = Tensors.of(tensors.manager(), truth, new Shape(targets.length, artists));
            NDArray loss = Losses.binaryCrossEntropy(logits, y);
            collector.backward(loss);
        }
    }

    /** Logits [users x artists] row-major, with the likes of {@code signals}' visible users as inputs. */
    public static float[] scores(ArtistRecommender model, GraphTensors tensors, GraphSnapshot g, ArtistSignals signals,
                                 int[] users, Workers workers) {
        return scores(model, tensors, g, signals, users, null, workers);
    }

    /** As {@link #scores(ArtistRecommender, GraphTensors, GraphSnapshot, ArtistSignals, int[], Workers)}, with the
     * users' head logits given ([users x artists], row-major) or, when null, computed. */
    private static float[] scores(ArtistRecommender model, GraphTensors tensors, GraphSnapshot g, ArtistSignals signals,
                                  int[] users, float[] prior, Workers workers) {
        int artists = g.artistCount();
        float[] out = new float[users.length * artists];
        boolean[] visible = signals.visible();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray embeddings = model.embed(tensors, features(tensors, g, visible), rows(tensors, visible), false);
            for (int from = 0; from < users.length; from += SCORE_CHUNK) {
                int[] chunk = java.util.Arrays.copyOfRange(users, from, Math.min(users.length, from + SCORE_CHUNK));
                NDArray chunkPrior = prior == null ? prior(model, tensors, signals, chunk, workers)
                        : Tensors.of(tensors.manager(), Arrays.copyOfRange(prior, from * artists,
                                (from + chunk.length) * artists), new Shape(chunk.length, artists));
                try (NDArray logits = model.scores(embeddings.get(tensors.indices(chunk)), chunkPrior)) {
                    System.arraycopy(logits.toFloatArray(), 0, out, from * artists, chunk.length * artists);
                }
            }
        }
        return out;
    }

    /** User embeddings [N x d] with the {@code visible} users' likes as inputs. */
    public static float[] embeddings(ArtistRecommender model, GraphTensors tensors, GraphSnapshot g, boolean[] visible) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return model.embed(tensors, features(tensors, g, visible), rows(tensors, visible), false).toFloatArray();
        }
    }

    private static double validationNdcg(ArtistRecommender model, GraphTensors tensors, GraphSnapshot g,
                                         ArtistSignals signals, int[] users, float[] prior, Workers workers) {
        int artists = g.artistCount();
        float[] s = scores(model, tensors, g, signals, users, prior, workers);
        double[] each = new double[users.length];
        workers.forEach(users.length, i -> {
            int u = users[i];
            int[] relevant = java.util.Arrays.copyOfRange(g.likes(), g.likeOffsets()[u], g.likeOffsets()[u + 1]);
            java.util.Arrays.sort(relevant);
            each[i] = Ranking.ndcg(Ranking.topK(s, i * artists, artists, 20, new int[0]), relevant, 20);
        });
        double sum = 0;
        for (double v : each) { // in user order: the same total for any concurrency
            sum += v;
        }
        return users.length == 0 ? 0 : sum / users.length;
    }

    /**
     * The head's logits for {@code users} ([users x artists]), from {@code signals}' visible likes: computed user by
     * user by {@code workers}, uploaded on the caller's thread.
     */
    public static NDArray prior(ArtistRecommender model, GraphTensors tensors, ArtistSignals signals, int[] users,
                                Workers workers) {
        int artists = signals.popularity().length;
        return Tensors.of(tensors.manager(), priorValues(model.head(), signals, users, workers),
                new Shape(users.length, artists));
    }

    /** The head's logits for {@code users}, [users x artists] row-major, user by user by {@code workers}. */
    private static float[] priorValues(float[] head, ArtistSignals signals, int[] users, Workers workers) {
        int artists = signals.popularity().length;
        float[] values = new float[users.length * artists];
        workers.forEach(users.length, i -> System.arraycopy(ArtistPairFeatures.of(signals, users[i]).logits(head), 0,
                values, i * artists, artists));
        return values;
    }

    /** Dense inputs: the two degree features and whether the user's likes are visible. */
    static NDArray features(GraphTensors tensors, GraphSnapshot g, boolean[] visible) {
        return tensors.dense(denseFeatures(g, visible), DENSE_WIDTH);
    }

    /** The dense inputs [N x 3] as an array: log degree, 1/sqrt(degree + 1), likes visible. */
    public static float[] denseFeatures(GraphSnapshot g, boolean[] visible) {
        int n = g.userCount();
        float[] x = new float[n * 3];
        for (int u = 0; u < n; u++) {
            int degree = g.degree(u);
            x[u * 3] = (float) (Math.log1p(degree) / Math.log1p(256));
            x[u * 3 + 1] = (float) (1 / Math.sqrt(degree + 1.0));
            x[u * 3 + 2] = visible[u] ? 1 : 0;
        }
        return x;
    }

    public static final int DENSE_WIDTH = 3;
    public static final List<String> FEATURE_NAMES = List.of("logDegree", "inverseSqrtDegree", "likesVisible");

    private static NDArray rows(GraphTensors tensors, boolean[] visible) {
        float[] m = new float[visible.length];
        for (int u = 0; u < m.length; u++) {
            m[u] = visible[u] ? 1 : 0;
        }
        return Tensors.of(tensors.manager(), m, new Shape(m.length, 1));
    }
}

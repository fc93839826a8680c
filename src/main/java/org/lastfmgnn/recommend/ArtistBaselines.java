package org.lastfmgnn.recommend;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;

/**
 * The artist rankings a model must beat, from the likes of the visible users only ({@link ArtistSignals}): each
 * signal alone, popularity breaking its ties, and a blend of all of them with weights chosen on validation users.
 * {@code socialKriging} is the regional share plus {@link ArtistSignals#kriged}: not a standard baseline but the
 * strongest single signal, and the artist model's main input, so the model is held against it alone too.
 */
public final class ArtistBaselines {
    /** The single-signal baselines, in {@link #signals} order, then the blend. */
    public static final List<String> NAMES = List.of("popularity", "regionalPopularity", "friends", "friendsOfFriends",
            "itemKnn", "socialKriging", "blend");
    /** How many signals a user has (the blend's inputs). */
    public static final int SIGNALS = 6;
    private static final double[] GRID = {0, 0.25, 0.5, 1, 2, 4};
    private static final int TUNING_USERS = 300;
    /** Popularity's weight when it only breaks ties. */
    private static final float TIE_BREAK = 1e-3f;

    private ArtistBaselines() {
    }

    /** Likes per artist among the visible users. */
    public static float[] popularity(GraphSnapshot g, boolean[] visible) {
        float[] count = new float[g.artistCount()];
        for (int u = 0; u < g.userCount(); u++) {
            if (visible[u]) {
                for (int k = g.likeOffsets()[u]; k < g.likeOffsets()[u + 1]; k++) {
                    count[g.likes()[k]]++;
                }
            }
        }
        return count;
    }

    /**
     * The user's {@value #SIGNALS} signals, each scaled to [0, 1] by its largest value: [signal][artist]. The kriged
     * one is the regional share plus {@link ArtistSignals#kriged(int)}: a predicted share, as the others are shares.
     */
    public static float[][] signals(ArtistSignals s, int user) {
        float[] friends = s.friends(user);
        float[] regional = s.regional(user);
        float[] kriged = s.kriged(user);
        for (int a = 0; a < kriged.length; a++) {
            kriged[a] += regional[a];
        }
        return new float[][] {ArtistSignals.normalised(s.popularity()), ArtistSignals.normalised(regional),
            ArtistSignals.normalised(friends), ArtistSignals.normalised(s.friendsOfFriends(user)),
            ArtistSignals.normalised(s.itemNeighbours(friends)), ArtistSignals.normalised(kriged)};
    }

    /** Every baseline's scores for one user: name -> [artists]. */
    public static Map<String, float[]> scores(ArtistSignals s, int user, double[] blend) {
        float[][] signal = signals(s, user);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < SIGNALS; i++) {
            float[] scores = signal[i].clone();
            if (i > 0) {
                for (int a = 0; a < scores.length; a++) {
                    scores[a] += TIE_BREAK * signal[0][a];
                }
            }
            out.put(NAMES.get(i), scores);
        }
        out.put("blend", blend(signal, blend));
        return out;
    }

    /**
     * The blend's weights, chosen on validation users whose likes are hidden ({@code s} built without them):
     * coordinate ascent from popularity alone over the grid {0, 0.25, 0.5, 1, 2, 4}, two sweeps, NDCG@20 of at most
     * {@value #TUNING_USERS} of them (seeded). The users' signals and scores are computed by {@code workers}.
     */
    public static double[] tuneBlend(GraphSnapshot g, ArtistSignals s, int[] validationUsers, long seed, Workers workers) {
        int[] users = validationUsers.clone();
        org.lastfmgnn.training.Folds.shuffle(users, new Random(seed));
        int[] tuning = Arrays.copyOf(users, Math.min(TUNING_USERS, users.length));
        float[][][] signal = new float[tuning.length][][];
        int[][] liked = new int[tuning.length][];
        workers.forEach(tuning.length, i -> {
            signal[i] = signals(s, tuning[i]);
            liked[i] = likes(g, tuning[i]);
        });
        double[] w = new double[SIGNALS];
        w[0] = 1;
        double best = ndcg(signal, liked, w, workers);
        for (int sweep = 0; sweep < 2; sweep++) {
            for (int i = 0; i < SIGNALS; i++) {
                double keep = w[i];
                for (double v : GRID) {
                    w[i] = v;
                    double score = ndcg(signal, liked, w, workers);
                    if (score > best + 1e-12) {
                        best = score;
                        keep = v;
                    }
                }
                w[i] = keep;
            }
        }
        return w;
    }

    private static double ndcg(float[][][] signal, int[][] liked, double[] w, Workers workers) {
        double[] each = new double[signal.length];
        double[] weights = w.clone(); // the caller changes w between calls, not during one
        workers.forEach(signal.length, i -> {
            float[] scores = blend(signal[i], weights);
            each[i] = Ranking.ndcg(Ranking.topK(scores, 0, scores.length, 20, new int[0]), liked[i], 20);
        });
        double sum = 0;
        for (double v : each) { // summed in user order: the same total for any concurrency
            sum += v;
        }
        return sum / Math.max(1, signal.length);
    }

    private static float[] blend(float[][] signal, double[] w) {
        float[] out = new float[signal[0].length];
        for (int i = 0; i < SIGNALS; i++) {
            if (w[i] != 0) {
                for (int a = 0; a < out.length; a++) {
                    out[a] += (float) w[i] * signal[i][a];
                }
            }
        }
        for (int a = 0; a < out.length; a++) {
            out[a] += TIE_BREAK * signal[0][a];
        }
        return out;
    }

    static int[] likes(GraphSnapshot g, int u) {
        int[] liked = Arrays.copyOfRange(g.likes(), g.likeOffsets()[u], g.likeOffsets()[u + 1]);
        Arrays.sort(liked);
        return liked;
    }
}

package org.lastfmgnn.training;

import java.util.Arrays;
import java.util.Random;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.recommend.ArtistPairFeatures;
import org.lastfmgnn.recommend.ArtistSignals;
import org.lastfmgnn.recommend.Ranking;

/**
 * Fits the artist model's logistic head ({@link ArtistPairFeatures}' weights, shared by every artist) on one fold's
 * fitting users: {@value #GROUPS} disjoint groups of them (seeded; a tenth of the fitting users each, at most
 * {@value #MAX_USERS} users in all) hide their likes in turn, the other fitting users' likes give every signal, and
 * each hidden user's likes among its {@value #CANDIDATES} most likely artists (regional share + a quarter of the
 * friends' share) are the labels of a logistic regression. One group at a time, not all at once: a hidden user then
 * sees nearly as many of the others' likes as a test user does (measured: a quarter hidden at once ranked 0.0005
 * lower on fold seeds 1-3). Candidates, not every
 * artist: the artists a ranking has to order are the plausible ones, and rows among the thousands nobody near the
 * user likes would teach mostly "unpopular is unliked" (measured in docs/experiments/artist_headroom.py: the head
 * fitted on candidates ranks the same over every artist as over the candidates). How many: the fewer, the closer
 * the log-loss comes to the top of the ranking that NDCG@20 scores (on fold seeds 1-3, the model's mean NDCG@20
 * with 30, 60, 100, 150 and 400 candidates: 0.5803, 0.5805, 0.5805, 0.5803, 0.5801). The validation and test users'
 * likes are never read.
 */
public final class ArtistHeadFit {
    static final int MAX_USERS = 2_000;
    static final int GROUPS = 4;
    static final int CANDIDATES = 100;
    static final double L2 = 1e-3;

    private ArtistHeadFit() {
    }

    /** @return {@link ArtistPairFeatures#WIDTH} weights, then the intercept */
    public static float[] fit(GraphSnapshot g, int[] fitUsers, long seed, Workers workers) {
        int n = g.userCount();
        int artists = g.artistCount();
        int[] shuffled = fitUsers.clone();
        Folds.shuffle(shuffled, new Random(seed));
        // GROUPS disjoint groups, each a tenth of the fitting users, hidden one group at a time: each hidden user
        // sees nine tenths of the fitting users' likes, near the share a test user sees (k-1 of k folds)
        int size = Math.min(MAX_USERS / GROUPS, Math.max(1, fitUsers.length / 10));
        int[] held = Arrays.copyOf(shuffled, Math.min(shuffled.length, GROUPS * size));
        boolean[] fitMask = RegionFit.mask(n, fitUsers);
        ArtistSignals[] signalsOf = new ArtistSignals[held.length];
        for (int from = 0; from < held.length; from += size) {
            boolean[] visible = fitMask.clone();
            for (int i = from; i < Math.min(held.length, from + size); i++) {
                visible[held[i]] = false;
            }
            ArtistSignals group = new ArtistSignals(g, visible);
            Arrays.fill(signalsOf, from, Math.min(held.length, from + size), group);
        }
        int c = Math.min(CANDIDATES, artists);
        int d = ArtistPairFeatures.WIDTH;
        float[] x = new float[held.length * c * d];
        float[] y = new float[held.length * c];
        workers.forEach(held.length, i -> {
            int u = held[i];
            ArtistPairFeatures.User user = ArtistPairFeatures.of(signalsOf[i], u);
            float[] retrieval = new float[artists];
            for (int a = 0; a < artists; a++) {
                retrieval[a] = user.regional()[a] + 0.25f * user.friends()[a];
            }
            int[] candidates = Ranking.topK(retrieval, 0, artists, c, new int[0]);
            int[] liked = Arrays.copyOfRange(g.likes(), g.likeOffsets()[u], g.likeOffsets()[u + 1]);
            Arrays.sort(liked);
            for (int k = 0; k < candidates.length; k++) {
                int row = i * c + k;
                user.fill(candidates[k], x, row * d);
                y[row] = Arrays.binarySearch(liked, candidates[k]) >= 0 ? 1 : 0;
            }
        });
        double[] w = LogisticRegression.fit(x, y, d, L2, workers);
        float[] head = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            head[j] = (float) w[j];
        }
        return head;
    }
}

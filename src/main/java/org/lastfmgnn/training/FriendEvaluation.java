package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.recommend.FriendScorer;

/**
 * How well friend recommendation finds friendships it has not seen: a share of the friendships is hidden, the
 * taste embeddings are learned on the rest, and each hidden friendship is ranked against random non-friends,
 * by our score and by Adamic-Adar on the same remaining graph.
 */
public final class FriendEvaluation {
    /** AUC and Hits@10 (against 100 random non-friends) of our score and of Adamic-Adar. */
    public record Result(double auc, double hitsAt10, double aucAdamicAdar, double hitsAt10AdamicAdar,
                         int hiddenFriendships, boolean tasteEmbeddings) {
    }

    private static final int NEGATIVES = 100;

    private FriendEvaluation() {
    }

    public static Result run(GraphSnapshot full, double holdout, long seed, HyperParameters hp, int batchSize,
                             ProgressTracker progress) {
        Random random = new Random(seed);
        IntList a = new IntList();
        IntList b = new IntList();
        for (int u = 0; u < full.userCount(); u++) {
            for (int e = full.friendOffsets()[u]; e < full.friendOffsets()[u + 1]; e++) {
                if (u < full.friends()[e]) {
                    a.add(u);
                    b.add(full.friends()[e]);
                }
            }
        }
        int[] order = new int[a.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Folds.shuffle(order, random);
        int hidden = (int) Math.round(order.length * holdout);
        int[] hu = new int[hidden];
        int[] hv = new int[hidden];
        int[] all = a.toArray();
        int[] bll = b.toArray();
        for (int i = 0; i < hidden; i++) {
            hu[i] = all[order[i]];
            hv[i] = bll[order[i]];
        }
        GraphSnapshot reduced = Snapshots.withoutFriendships(full, hu, hv);
        float[] embeddings = null;
        int width = 0;
        if (reduced.likes().length > 0) {
            ModelShape shape = ArtistCrossValidation.shape(Architecture.GCN, hp, reduced.artistCount());
            width = shape.classes();
            int[] users = new int[reduced.userCount()];
            for (int u = 0; u < users.length; u++) {
                users[u] = u;
            }
            boolean[] validation = Folds.holdOut(users, new int[users.length], 0.2, seed + 5);
            boolean[] fit = new boolean[users.length];
            for (int u = 0; u < users.length; u++) {
                fit[u] = !validation[u];
            }
            boolean[] everyone = new boolean[users.length];
            Arrays.fill(everyone, true);
            try (NDManager manager = Engines.pytorch().newBaseManager();
                 GraphTensors tensors = new GraphTensors(manager, reduced, true);
                 ArtistRecommender model = new ArtistRecommender(manager, shape, reduced.artistCount(), seed)) {
                ArtistFit.fit(model, tensors, reduced, Folds.members(fit), Folds.members(validation), hp, batchSize, seed, progress);
                embeddings = ArtistFit.embeddings(model, tensors, reduced, everyone);
            }
        }
        FriendScorer scorer = new FriendScorer(reduced, embeddings, width, full.regions());
        FriendScorer fullGraph = new FriendScorer(full, null, 0, full.regions());
        double auc = 0;
        double aucAa = 0;
        int hits = 0;
        int hitsAa = 0;
        for (int i = 0; i < hidden; i++) {
            int u = hu[i];
            int v = hv[i];
            double positive = scorer.score(u, v);
            double positiveAa = FriendScorer.adamicAdar(reduced, u, v);
            int above = 0;
            int aboveAa = 0;
            for (int s = 0; s < NEGATIVES; s++) {
                int w = negative(random, full.userCount(), u, fullGraph);
                double negative = scorer.score(u, w);
                double negativeAa = FriendScorer.adamicAdar(reduced, u, w);
                // ties count against the hidden friendship: Adamic-Adar ties at 0 whenever there is no common friend
                above += negative >= positive ? 1 : 0;
                aboveAa += negativeAa >= positiveAa ? 1 : 0;
                auc += (positive > negative ? 1 : positive == negative ? 0.5 : 0) / NEGATIVES;
                aucAa += (positiveAa > negativeAa ? 1 : positiveAa == negativeAa ? 0.5 : 0) / NEGATIVES;
            }
            hits += above < 10 ? 1 : 0;
            hitsAa += aboveAa < 10 ? 1 : 0;
        }
        return new Result(auc / hidden, hits / (double) hidden, aucAa / hidden, hitsAa / (double) hidden, hidden,
                embeddings != null);
    }

    private static int negative(Random random, int n, int u, FriendScorer fullGraph) {
        while (true) {
            int w = random.nextInt(n);
            if (w != u && !fullGraph.areFriends(u, w)) {
                return w;
            }
        }
    }
}

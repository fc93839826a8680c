package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.progress.ProgressTracker;

/**
 * The friend evaluation cannot see what it hides. On a random graph (each pair a friendship with the same
 * probability) nothing predicts a hidden friendship from its candidates: against two-hop negatives for the hidden
 * friendships that are two-hop candidates too, and against random users, every method, the learned one included,
 * must score about 0.5 AUC. A method that read the hidden friendships (in its message passing, pair features or
 * degrees) would score far above. (Against two-hop negatives for every hidden friendship it need not: there a
 * hidden friend is rarely two hops away on a random graph, and the learned method learns exactly that.) And the
 * negatives are what they claim: two hops away, never friends.
 */
class FriendEvaluationTest {
    @Test
    void onARandomGraphNothingFindsTheHiddenFriendships() {
        GraphSnapshot random = erdosRenyi(1200, 8, 3);
        FriendEvaluation.Result r = FriendEvaluation.run(random, 0.1, 7, ProgressTracker.silent("friends"));
        for (String kind : java.util.List.of("twoHopCandidates", "random")) {
            for (String method : FriendEvaluation.METHODS) {
                assertThat(r.scores().get(kind).get(method).auc()).as(kind + " " + method).isBetween(0.4, 0.6);
            }
        }
        assertThat(r.candidates()).as("hidden friendships with a common friend on a random graph: a few").isPositive();
        assertThat(r.hiddenFriendships()).isEqualTo((int) Math.round(random.friendshipCount() * 0.1));
    }

    @Test
    void twoHopNegativesAreTwoHopsAwayAndNeverFriends() {
        GraphSnapshot g = erdosRenyi(500, 6, 5);
        Set<Long> known = FriendEvaluation.edges(g);
        Random random = new Random(1);
        for (int u = 0; u < 50; u++) {
            for (int w : FriendEvaluation.twoHopNegatives(g, known, u, random)) {
                assertThat(known).doesNotContain(FriendEvaluation.key(u, w));
                assertThat(w).isNotEqualTo(u);
                boolean viaFriend = false;
                for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
                    int v = g.friends()[e];
                    viaFriend |= known.contains(FriendEvaluation.key(v, w));
                }
                assertThat(viaFriend).isTrue();
            }
        }
    }

    /** n users, each pair a friendship with probability degree / (n - 1), one region (no region signal). */
    static GraphSnapshot erdosRenyi(int n, double degree, long seed) {
        Random random = new Random(seed);
        List<IntList> friends = new java.util.ArrayList<>();
        for (int u = 0; u < n; u++) {
            friends.add(new IntList());
        }
        double p = degree / (n - 1);
        for (int u = 0; u < n; u++) {
            for (int v = u + 1; v < n; v++) {
                if (random.nextDouble() < p) {
                    friends.get(u).add(v);
                    friends.get(v).add(u);
                }
            }
        }
        int[] offsets = new int[n + 1];
        IntList all = new IntList();
        long[] ids = new long[n];
        int[] regions = new int[n];
        for (int u = 0; u < n; u++) {
            ids[u] = u;
            int[] f = friends.get(u).toArray();
            java.util.Arrays.sort(f);
            for (int v : f) {
                all.add(v);
            }
            offsets[u + 1] = all.size();
        }
        GraphSnapshot g = new GraphSnapshot(ids, ids, regions, offsets, all.toArray(), new int[n + 1], new int[0],
                new int[0], new long[0], "none");
        return Snapshots.withoutFriendships(g, new int[0], new int[0]);
    }
}

package org.lastfmgnn.training;

import ai.djl.Device;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.FriendshipIndex;
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
 * negatives are what they claim: two hops away, never friends. A peer method that reads the whole graph scores
 * 1.0: the evaluation would see such a leak.
 */
class FriendEvaluationTest {
    @Test
    void onARandomGraphNothingFindsTheHiddenFriendships() {
        GraphSnapshot random = erdosRenyi(1200, 8, 3);
        FriendshipIndex all = new FriendshipIndex(random);
        long[] asked = new long[2];
        // a peer that reads the whole graph, hidden friendships included: the evaluation must catch it
        FriendEvaluation.Peer oracle = new FriendEvaluation.Peer() {
            public String name() {
                return "oracle";
            }

            public double[] score(GraphSnapshot visible, int[] us, int[] vs) {
                FriendshipIndex seen = new FriendshipIndex(visible);
                asked[0] = visible.friendshipCount();
                double[] s = new double[us.length];
                for (int i = 0; i < us.length; i++) {
                    asked[1] += seen.contains(us[i], vs[i]) ? 1 : 0;
                    s[i] = all.contains(us[i], vs[i]) ? 1 : 0;
                }
                return s;
            }
        };
        FriendEvaluation.Result r = FriendEvaluation.run(random, 0.1, 7, Device.cpu(), List.of(oracle), ProgressTracker.silent("friends"));
        for (String kind : java.util.List.of("twoHopCandidates", "random", "allUsers")) {
            for (String method : r.scores().get(kind).keySet()) {
                if (!method.equals("oracle")) {
                    assertThat(r.scores().get(kind).get(method).auc()).as(kind + " " + method).isBetween(0.4, 0.6);
                }
            }
        }
        assertThat(r.scores().get("allUsers")).containsKeys("learnedTwoHopFirst", "handSet", "adamicAdar");
        for (String kind : java.util.List.of("twoHopCandidates", "random")) {
            assertThat(r.scores().get(kind).get("oracle").auc()).as(kind + ": a leak is seen").isEqualTo(1.0);
        }
        assertThat(asked[0]).as("a peer sees the graph without the hidden friendships")
                .isEqualTo(random.friendshipCount() - r.hiddenFriendships());
        assertThat(asked[1]).as("no pair it is asked about is a friendship it can see").isZero();
        assertThat(r.candidates()).as("hidden friendships with a common friend on a random graph: a few").isPositive();
        assertThat(r.hiddenFriendships()).isEqualTo((int) Math.round(random.friendshipCount() * 0.1));
    }

    @Test
    void twoHopNegativesAreTwoHopsAwayAndNeverFriends() {
        GraphSnapshot g = erdosRenyi(500, 6, 5);
        FriendshipIndex known = new FriendshipIndex(g);
        Random random = new Random(1);
        for (int u = 0; u < 50; u++) {
            for (int w : FriendEvaluation.twoHopNegatives(g, known, u, random)) {
                assertThat(known.contains(u, w)).as("%d-%d are friends", u, w).isFalse();
                assertThat(w).isNotEqualTo(u);
                boolean viaFriend = false;
                for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
                    int v = g.friends()[e];
                    viaFriend |= known.contains(v, w);
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

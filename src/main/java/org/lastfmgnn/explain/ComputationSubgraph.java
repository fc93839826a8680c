package org.lastfmgnn.explain;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;

/**
 * The part of the graph that an L-layer model's output for one user depends on: the users within L hops, with
 * the friendships that deliver messages to the users within L - 1 hops. The outer ring keeps no incoming
 * friendships (its own outputs are never needed) but its users' whole-graph degrees are kept for the GCN
 * normalisation, so the user's output on this subgraph equals its output on the whole graph. GNNExplainer then
 * learns its masks on a few hundred users instead of all of them, as PyG's does on k_hop_subgraph.
 */
public final class ComputationSubgraph {
    private final int[] users;
    private final int[] indexOf;
    private final GraphSnapshot graph;
    private final int[] degrees;

    private ComputationSubgraph(int[] users, int[] indexOf, GraphSnapshot graph, int[] degrees) {
        this.users = users;
        this.indexOf = indexOf;
        this.graph = graph;
        this.degrees = degrees;
    }

    public static ComputationSubgraph of(GraphSnapshot g, int user, int hops) {
        int n = g.userCount();
        int[] distance = distances(g, user, hops);
        IntList reached = new IntList();
        for (int u = 0; u < n; u++) {
            if (distance[u] <= hops) {
                reached.add(u);
            }
        }
        int[] users = reached.toArray();
        Arrays.sort(users);
        int[] indexOf = new int[n];
        Arrays.fill(indexOf, -1);
        for (int i = 0; i < users.length; i++) {
            indexOf[users[i]] = i;
        }
        int m = users.length;
        int[] friendOffsets = new int[m + 1];
        IntList friends = new IntList();
        int[] likeOffsets = new int[m + 1];
        IntList likes = new IntList();
        int[] degrees = new int[m];
        long[] nodeIds = new long[m];
        long[] userIds = new long[m];
        int[] regions = new int[m];
        for (int i = 0; i < m; i++) {
            int u = users[i];
            degrees[i] = g.degree(u);
            nodeIds[i] = g.nodeIds()[u];
            userIds[i] = g.userIds()[u];
            regions[i] = g.regions()[u];
            if (distance[u] < hops) {
                for (int k = g.friendOffsets()[u]; k < g.friendOffsets()[u + 1]; k++) {
                    friends.add(indexOf[g.friends()[k]]);
                }
            }
            friendOffsets[i + 1] = friends.size();
            for (int k = g.likeOffsets()[u]; k < g.likeOffsets()[u + 1]; k++) {
                likes.add(g.likes()[k]);
            }
            likeOffsets[i + 1] = likes.size();
        }
        GraphSnapshot sub = new GraphSnapshot(nodeIds, userIds, regions, friendOffsets, friends.toArray(), likeOffsets,
                likes.toArray(), g.artistIds(), g.artistNodeIds(), g.featureSource());
        return new ComputationSubgraph(users, indexOf, sub, degrees);
    }

    /** Hops from {@code user} to every user, up to {@code maxHops} (farther users: Integer.MAX_VALUE). */
    public static int[] distances(GraphSnapshot g, int user, int maxHops) {
        int[] distance = new int[g.userCount()];
        Arrays.fill(distance, Integer.MAX_VALUE);
        distance[user] = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(user);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            if (distance[u] >= maxHops) {
                continue;
            }
            for (int k = g.friendOffsets()[u]; k < g.friendOffsets()[u + 1]; k++) {
                int v = g.friends()[k];
                if (distance[v] == Integer.MAX_VALUE) {
                    distance[v] = distance[u] + 1;
                    queue.add(v);
                }
            }
        }
        return distance;
    }

    public GraphSnapshot graph() {
        return graph;
    }

    /** The whole-graph index of each subgraph user. */
    public int[] users() {
        return users;
    }

    /** Whole-graph degree of each subgraph user. */
    public int[] degrees() {
        return degrees;
    }

    /** Subgraph index of a whole-graph user. */
    public int index(int user) {
        return indexOf[user];
    }
}

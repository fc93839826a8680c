package org.lastfmgnn.graph;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

/**
 * The part of the graph that an L-layer model's output for some users (the seeds) depends on: the users within L
 * hops of a seed, with the friendships that deliver messages to the users within L - 1 hops. The outer ring keeps no
 * incoming friendships (its own outputs are never needed) but its users' whole-graph degrees are kept for the GCN
 * normalisation, so each seed's output on this subgraph equals its output on the whole graph. GNNExplainer learns
 * its masks on one user's subgraph (PyG's {@code k_hop_subgraph}); mini-batch training computes each batch on its
 * seeds' subgraph.
 *
 * <p>{@link #sampled} keeps at most {@code fanouts[h]} of the incoming friendships of each user h hops from the
 * seeds, drawn without replacement (GraphSAGE's neighbour sampling, PyG's {@code NeighborLoader}). A user that keeps
 * s of its d friendships has their messages scaled by d / s ({@link #messageScale}), so that each aggregation over
 * the sample is, in expectation, the whole-graph one; with no fanout below a user's degree the subgraph is the exact
 * one.
 */
public final class ComputationSubgraph {
    /** A fanout that keeps every friendship. */
    public static final int ALL = -1;

    private final int[] users;
    private final int[] indexOf;
    private final GraphSnapshot graph;
    private final int[] degrees;
    private final float[] messageScale;

    private ComputationSubgraph(int[] users, int[] indexOf, GraphSnapshot graph, int[] degrees, float[] messageScale) {
        this.users = users;
        this.indexOf = indexOf;
        this.graph = graph;
        this.degrees = degrees;
        this.messageScale = messageScale;
    }

    /** One user's exact subgraph. */
    public static ComputationSubgraph of(GraphSnapshot g, int user, int hops) {
        return of(g, new int[] {user}, hops);
    }

    /** The seeds' exact subgraph. */
    public static ComputationSubgraph of(GraphSnapshot g, int[] seeds, int hops) {
        int[] fanouts = new int[hops];
        Arrays.fill(fanouts, ALL);
        return sampled(g, seeds, fanouts, null);
    }

    /**
     * The seeds' subgraph with at most {@code fanouts[h]} incoming friendships kept per user h hops from a seed
     * ({@link #ALL}: every one); {@code fanouts.length} is the number of hops.
     *
     * @param random draws the kept friendships; may be null when no fanout is below a degree
     */
    public static ComputationSubgraph sampled(GraphSnapshot g, int[] seeds, int[] fanouts, Random random) {
        int n = g.userCount();
        int hops = fanouts.length;
        int[] offsets = g.friendOffsets();
        int[] friendsOf = g.friends();
        // breadth first from the seeds; each user within hops - 1 keeps its (sampled) incoming friendships
        int[] distance = new int[n];
        Arrays.fill(distance, Integer.MAX_VALUE);
        IntList order = new IntList(Math.max(16, seeds.length));
        for (int s : seeds) {
            if (distance[s] != 0) {
                distance[s] = 0;
                order.add(s);
            }
        }
        int[][] kept = new int[n][];
        int[] pick = new int[0];
        for (int head = 0; head < order.size(); head++) {
            int u = order.get(head);
            int d = distance[u];
            if (d >= hops) {
                continue;
            }
            int degree = offsets[u + 1] - offsets[u];
            int fanout = fanouts[d];
            int[] in;
            if (fanout == ALL || fanout >= degree) {
                in = Arrays.copyOfRange(friendsOf, offsets[u], offsets[u + 1]);
            } else {
                // a partial Fisher-Yates over the positions: fanout distinct friends, kept in CSR order
                if (pick.length < degree) {
                    pick = new int[degree];
                }
                for (int k = 0; k < degree; k++) {
                    pick[k] = k;
                }
                for (int k = 0; k < fanout; k++) {
                    int j = k + random.nextInt(degree - k);
                    int t = pick[k];
                    pick[k] = pick[j];
                    pick[j] = t;
                }
                int[] positions = Arrays.copyOf(pick, fanout);
                Arrays.sort(positions);
                in = new int[fanout];
                for (int k = 0; k < fanout; k++) {
                    in[k] = friendsOf[offsets[u] + positions[k]];
                }
            }
            kept[u] = in;
            for (int v : in) {
                if (distance[v] == Integer.MAX_VALUE) {
                    distance[v] = d + 1;
                    order.add(v);
                }
            }
        }
        int[] users = order.toArray();
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
        for (int i = 0; i < m; i++) {
            likeOffsets[i + 1] = likeOffsets[i] + g.likeOffsets()[users[i] + 1] - g.likeOffsets()[users[i]];
        }
        // sized once: a batch's likes are millions of ints at 10x, and a growing list would copy them twice over
        int[] likes = new int[likeOffsets[m]];
        int[] degrees = new int[m];
        float[] scale = new float[m];
        long[] nodeIds = new long[m];
        long[] userIds = new long[m];
        int[] regions = new int[m];
        for (int i = 0; i < m; i++) {
            int u = users[i];
            degrees[i] = g.degree(u);
            nodeIds[i] = g.nodeIds()[u];
            userIds[i] = g.userIds()[u];
            regions[i] = g.regions()[u];
            scale[i] = 1;
            if (kept[u] != null) {
                for (int v : kept[u]) {
                    friends.add(indexOf[v]);
                }
                if (kept[u].length > 0) {
                    scale[i] = (float) degrees[i] / kept[u].length;
                }
            }
            friendOffsets[i + 1] = friends.size();
            System.arraycopy(g.likes(), g.likeOffsets()[u], likes, likeOffsets[i], likeOffsets[i + 1] - likeOffsets[i]);
        }
        GraphSnapshot sub = new GraphSnapshot(nodeIds, userIds, regions, friendOffsets, friends.toArray(), likeOffsets,
                likes, g.artistIds(), g.artistNodeIds(), g.featureSource());
        return new ComputationSubgraph(users, indexOf, sub, degrees, scale);
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

    /**
     * Per subgraph user, the factor on the messages it receives: its whole-graph degree over the friendships it
     * kept (1 where it kept all, or receives none).
     */
    public float[] messageScale() {
        return messageScale;
    }

    /** Subgraph index of a whole-graph user (-1 when not in it). */
    public int index(int user) {
        return indexOf[user];
    }

    /** Subgraph indexes of whole-graph users. */
    public int[] indexes(int[] wholeGraphUsers) {
        int[] out = new int[wholeGraphUsers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = indexOf[wholeGraphUsers[i]];
        }
        return out;
    }
}

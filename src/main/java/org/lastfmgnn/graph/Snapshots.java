package org.lastfmgnn.graph;

import org.lastfmgnn.dataset.LastFmDataset;

/** Builds a {@link GraphSnapshot} straight from parsed files: training code tested without a database. */
public final class Snapshots {
    private Snapshots() {
    }

    public static GraphSnapshot of(LastFmDataset data) {
        int n = data.userCount();
        // order users by id, as the exporter does
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(data.userIds()[a], data.userIds()[b]));
        int[] position = new int[n];
        long[] userIds = new long[n];
        int[] regions = new int[n];
        long[] nodeIds = new long[n];
        for (int i = 0; i < n; i++) {
            position[order[i]] = i;
            userIds[i] = data.userIds()[order[i]];
            regions[i] = data.regions()[order[i]];
            nodeIds[i] = -1;
        }
        int[] degree = new int[n];
        for (int e = 0; e < data.friendshipCount(); e++) {
            degree[position[data.friendA()[e]]]++;
            degree[position[data.friendB()[e]]]++;
        }
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + degree[i];
        }
        int[] fill = offsets.clone();
        int[] friends = new int[offsets[n]];
        for (int e = 0; e < data.friendshipCount(); e++) {
            int a = position[data.friendA()[e]];
            int b = position[data.friendB()[e]];
            friends[fill[a]++] = b;
            friends[fill[b]++] = a;
        }
        for (int i = 0; i < n; i++) {
            java.util.Arrays.sort(friends, offsets[i], offsets[i + 1]);
        }
        int[] artistIndex = new int[data.artistIds().length == 0 ? 0 : data.artistIds()[data.artistIds().length - 1] + 1];
        for (int a = 0; a < data.artistIds().length; a++) {
            artistIndex[data.artistIds()[a]] = a;
        }
        int[] likeOffsets = new int[n + 1];
        IntList likes = new IntList();
        for (int i = 0; i < n; i++) {
            int u = order[i];
            for (int k = data.likeOffsets()[u]; k < data.likeOffsets()[u + 1]; k++) {
                likes.add(artistIndex[data.likedArtists()[k]]);
            }
            likeOffsets[i + 1] = likes.size();
        }
        return new GraphSnapshot(nodeIds, userIds, regions, offsets, friends, likeOffsets, likes.toArray(),
                data.artistIds().clone(), new long[data.artistIds().length], data.featureSource().label());
    }

    /** The same snapshot without the friendships {@code a[i]-b[i]} (user indexes, either order). */
    public static GraphSnapshot withoutFriendships(GraphSnapshot g, int[] a, int[] b) {
        java.util.Set<Long> hidden = new java.util.HashSet<>();
        for (int i = 0; i < a.length; i++) {
            hidden.add(pairKey(a[i], b[i]));
        }
        int n = g.userCount();
        int[] offsets = new int[n + 1];
        IntList friends = new IntList();
        for (int u = 0; u < n; u++) {
            for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
                int v = g.friends()[e];
                if (!hidden.contains(pairKey(u, v))) {
                    friends.add(v);
                }
            }
            offsets[u + 1] = friends.size();
        }
        return new GraphSnapshot(g.nodeIds(), g.userIds(), g.regions(), offsets, friends.toArray(), g.likeOffsets(),
                g.likes(), g.artistIds(), g.artistNodeIds(), g.featureSource());
    }

    /** One key per unordered pair of user indexes. */
    public static long pairKey(int u, int v) {
        return ((long) Math.min(u, v) << 32) | Math.max(u, v);
    }
}

package org.lastfmgnn.graph;

import java.util.Arrays;

/**
 * Whether two users are friends, answered from each user's friends sorted once (a binary search in the shorter
 * list). It replaces a hash set of boxed pair keys, whose keys hashed to {@code min ^ max} and so piled into a few
 * buckets: the friend evaluation asks this millions of times per run while it draws negatives.
 */
public final class FriendshipIndex {
    private final int[] offsets;
    private final int[] sorted;

    public FriendshipIndex(GraphSnapshot g) {
        offsets = g.friendOffsets();
        sorted = g.friends().clone();
        for (int u = 0; u < g.userCount(); u++) {
            Arrays.sort(sorted, offsets[u], offsets[u + 1]);
        }
    }

    public boolean contains(int u, int v) {
        int du = offsets[u + 1] - offsets[u];
        int dv = offsets[v + 1] - offsets[v];
        return du <= dv ? Arrays.binarySearch(sorted, offsets[u], offsets[u + 1], v) >= 0
                : Arrays.binarySearch(sorted, offsets[v], offsets[v + 1], u) >= 0;
    }
}

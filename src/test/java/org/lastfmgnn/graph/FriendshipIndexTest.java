package org.lastfmgnn.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FriendshipIndexTest {
    /** Every pair of a random graph, against the friendships as listed (unsorted, either direction). */
    @Test
    void answersExactlyTheListedFriendships() {
        int n = 300;
        Random random = new Random(5);
        Set<Long> pairs = new HashSet<>();
        while (pairs.size() < 1500) {
            int u = random.nextInt(n);
            int v = random.nextInt(n);
            if (u != v) {
                pairs.add((long) Math.min(u, v) * n + Math.max(u, v));
            }
        }
        IntList[] friends = new IntList[n];
        for (int u = 0; u < n; u++) {
            friends[u] = new IntList();
        }
        for (long p : pairs) {
            friends[(int) (p / n)].add((int) (p % n));
            friends[(int) (p % n)].add((int) (p / n));
        }
        int[] offsets = new int[n + 1];
        IntList all = new IntList();
        for (int u = 0; u < n; u++) {
            for (int v : friends[u].toArray()) {
                all.add(v);
            }
            offsets[u + 1] = all.size();
        }
        long[] ids = new long[n];
        int[] regions = new int[n];
        GraphSnapshot g = new GraphSnapshot(ids, ids, regions, offsets, all.toArray(), new int[n + 1], new int[0],
                new int[0], new long[0], "none");
        FriendshipIndex index = new FriendshipIndex(g);
        int found = 0;
        for (int u = 0; u < n; u++) {
            for (int v = 0; v < n; v++) {
                boolean listed = u != v && pairs.contains((long) Math.min(u, v) * n + Math.max(u, v));
                assertThat(index.contains(u, v)).as("%d-%d", u, v).isEqualTo(listed);
                found += listed ? 1 : 0;
            }
        }
        assertThat(found).isEqualTo(2 * pairs.size());
    }
}

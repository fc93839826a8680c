package org.lastfmgnn.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The exporter's artists come out numbered in id order, whatever order the store's relationship chains reached them
 * in, and each user's likes sorted: the same likes written in another order give the same snapshot.
 */
class ExportOrderTest {
    @Test
    void artistsInIdOrderAndLikesSorted() {
        // as read: artist 30 first reached (index 0), then 10 (1), then 20 (2); user 0 likes 30, 10; user 1 none;
        // user 2 likes 20, 30
        int[] ids = {30, 10, 20};
        long[] nodes = {300, 100, 200};
        int[] offsets = {0, 2, 2, 4};
        int[] likes = {0, 1, 2, 0};
        GraphExporter.inIdOrder(ids, nodes, offsets, likes);
        assertThat(ids).containsExactly(10, 20, 30);
        assertThat(nodes).containsExactly(100, 200, 300);
        assertThat(likes).containsExactly(0, 2, 1, 2); // user 0: 10, 30; user 2: 20, 30

        // the same likes reached in another order
        int[] otherIds = {20, 30, 10};
        long[] otherNodes = {200, 300, 100};
        int[] otherLikes = {2, 1, 1, 0};
        GraphExporter.inIdOrder(otherIds, otherNodes, offsets, otherLikes);
        assertThat(otherIds).containsExactly(ids);
        assertThat(otherNodes).containsExactly(nodes);
        assertThat(otherLikes).containsExactly(likes);
    }
}

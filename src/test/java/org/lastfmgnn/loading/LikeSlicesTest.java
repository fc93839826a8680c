package org.lastfmgnn.loading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LikeSlicesTest {
    @Test
    void slicesCoverEveryUserOnceInOrderAndCloseWhenFull() {
        // likes per user: 3, 0, 4, 1, 0, 5, 2
        int[] offsets = {0, 3, 3, 7, 8, 8, 13, 15};
        List<int[]> slices = DatasetWriter.slices(offsets, 4);
        assertThat(slices).containsExactly(new int[] {0, 3}, new int[] {3, 6}, new int[] {6, 7});
    }

    @Test
    void noUsersGiveNoSlices() {
        assertThat(DatasetWriter.slices(new int[] {0}, 10)).isEmpty();
    }
}

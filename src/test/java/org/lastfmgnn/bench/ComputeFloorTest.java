package org.lastfmgnn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComputeFloorTest {
    @Test
    void anEpochsProductsAreCountedForwardAndBackward() {
        // 10 users, 3 inputs, 4 hidden, 2 classes, 20 propagation non-zeros (10 self-loops), 50 likes
        ComputeFloor.Work gcn = ComputeFloor.epochWork("gcn", false, 10, 3, 4, 2, 20, 50);
        // dense: X W1 and its weight gradient (2 x 2*10*3*4), H W2, its weight and input gradients (3 x 2*10*4*2)
        assertThat(gcn.denseFlops()).isEqualTo(2 * 2.0 * 10 * 3 * 4 + 3 * 2.0 * 10 * 4 * 2);
        // sparse: likes W and likes^T G (2 x 2*50*4), A (.) and A^T (.) at both widths (2 x 2*20*(4+2))
        assertThat(gcn.sparseFlops()).isEqualTo(2 * 2.0 * 50 * 4 + 2 * 2.0 * 20 * (4 + 2));
        ComputeFloor.Work mlp = ComputeFloor.epochWork("mlp", false, 10, 3, 4, 2, 20, 0);
        assertThat(mlp.sparseFlops()).isZero();
        assertThat(mlp.denseFlops()).isEqualTo(gcn.denseFlops());
        // the label signals: two sums over the 10 friendship messages at width classes + 1, forward only
        ComputeFloor.Work labels = ComputeFloor.epochWork("mlp", true, 10, 3, 4, 2, 20, 0);
        assertThat(labels.sparseFlops()).isEqualTo(2.0 * 10 * (2 * 2 + 2));
        // each product at its own matrix's and width's rate: 1 GFLOP/s dense, sparse 0.1 (likes), 0.2 (their
        // transpose), 0.3 at width 4 and 0.4 at width 2 (propagation)
        Map<ComputeFloor.Matrix, Map<Integer, Double>> sparse = Map.of(
                ComputeFloor.Matrix.LIKES, Map.of(4, 1e8), ComputeFloor.Matrix.LIKES_TRANSPOSED, Map.of(4, 2e8),
                ComputeFloor.Matrix.PROPAGATION, Map.of(4, 3e8, 2, 4e8));
        double seconds = gcn.denseFlops() / 1e9 + 2.0 * 50 * 4 / 1e8 + 2.0 * 50 * 4 / 2e8 + 2 * 2.0 * 20 * 4 / 3e8
                + 2 * 2.0 * 20 * 2 / 4e8;
        assertThat(gcn.floorMillis(new ComputeFloor.Rates(1e9, sparse)))
                .isCloseTo(1000 * seconds, org.assertj.core.data.Offset.offset(1e-9));
        // a width nobody measured is an error that names what was measured, not a floor of zero
        assertThatThrownBy(() -> labels.floorMillis(new ComputeFloor.Rates(1e9, sparse)))
                .hasMessageContaining("PROPAGATION at width 1");
    }

    @Test
    void twoMeasurementsGiveEachProductAtTheFasterRate() {
        ComputeFloor.Rates first = new ComputeFloor.Rates(2e9, Map.of(ComputeFloor.Matrix.PROPAGATION,
                Map.of(64, 3e8, 18, 1e8), ComputeFloor.Matrix.LIKES, Map.of(64, 5e8)));
        ComputeFloor.Rates second = new ComputeFloor.Rates(1e9, Map.of(ComputeFloor.Matrix.PROPAGATION,
                Map.of(64, 2e8, 18, 4e8, 1, 1e7)));
        ComputeFloor.Rates fastest = first.fastest(second);
        assertThat(fastest.denseFlopsPerSecond()).isEqualTo(2e9);
        assertThat(fastest.sparseFlopsPerSecond()).isEqualTo(Map.of(ComputeFloor.Matrix.PROPAGATION,
                Map.of(64, 3e8, 18, 4e8, 1, 1e7), ComputeFloor.Matrix.LIKES, Map.of(64, 5e8)));
        assertThat(second.fastest(first).sparseFlopsPerSecond()).isEqualTo(fastest.sparseFlopsPerSecond());
        // so the floor is no higher than either measurement's
        ComputeFloor.Work gcn = ComputeFloor.epochWork("gcn", false, 10, 3, 64, 18, 20, 0);
        assertThat(gcn.floorMillis(fastest)).isLessThan(Math.min(gcn.floorMillis(first), gcn.floorMillis(second)));
    }

    @Test
    void anUnknownModeNamesTheValidOnes() {
        assertThatThrownBy(() -> BenchMode.of("fast", 1)).hasMessageContaining("fast").hasMessageContaining(BenchMode.NAMES.toString());
        assertThat(BenchMode.of("quick", 1).scaleFactors()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theStudiesRunTheReportedSeedsUnlessToldWhichAndAtLeastOne() {
        assertThat(BenchMode.of("friends", 42).seeds()).isEqualTo(BenchMode.REPORTED_SEEDS);
        assertThat(BenchMode.of("friends", 42, java.util.List.of(44L)).seeds()).containsExactly(44L);
        assertThatThrownBy(() -> BenchMode.of("region", 42, java.util.List.of())).hasMessageContaining("--bench-seeds");
    }
}

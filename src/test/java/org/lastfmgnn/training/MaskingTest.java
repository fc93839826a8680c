package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.TestNeo4j;

/** Nothing of a test fold reaches training: its users' own labels cannot change their predictions. */
class MaskingTest {
    @Test
    void scramblingTheTestFoldsLabelsChangesNoneOfItsPredictions() throws IOException {
        GraphSnapshot real = Snapshots.of(DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE));
        int[] folds = Folds.stratified(real.regions(), 5, 42);
        int[] scrambledRegions = real.regions().clone();
        Random random = new Random(1);
        int changed = 0;
        for (int u = 0; u < scrambledRegions.length; u++) {
            if (folds[u] == 0) {
                scrambledRegions[u] = (scrambledRegions[u] + 1 + random.nextInt(17)) % 18;
                changed++;
            }
        }
        GraphSnapshot scrambled = new GraphSnapshot(real.nodeIds(), real.userIds(), scrambledRegions,
                real.friendOffsets(), real.friends(), real.likeOffsets(), real.likes(), real.artistIds(), real.artistNodeIds(), real.featureSource());

        for (Architecture architecture : List.of(Architecture.GCN, Architecture.GAT)) {
            CrossValidation.Result a = run(real, folds, architecture);
            CrossValidation.Result b = run(scrambled, folds, architecture);
            int compared = 0;
            for (int u = 0; u < folds.length; u++) {
                if (folds[u] == 0) {
                    assertThat(b.predicted()[u]).as(architecture + " user " + u).isEqualTo(a.predicted()[u]);
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(changed).isGreaterThan(1500);
            // the scrambled labels do count when they are the answer: fold 0 now scores about zero
            assertThat(b.folds().get(0).accuracy()).isLessThan(0.1);
            assertThat(a.folds().get(0).accuracy()).isGreaterThan(0.8);
        }
    }

    private static CrossValidation.Result run(GraphSnapshot g, int[] folds, Architecture architecture) {
        HyperParameters hp = new HyperParameters(0.01, 5e-4, new int[] {16}, 8, 2, 0.5, 8, 0.5);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            return new CrossValidation(g, new RegionInputs(g, Set.of("labels", "structure"), 18), architecture,
                    List.of(hp), 5, 42, false, ProgressTracker.silent("masking")).run(manager, folds);
        }
    }
}

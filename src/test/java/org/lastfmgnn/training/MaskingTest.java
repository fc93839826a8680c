package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.TestNeo4j;

/**
 * Nothing of a test fold reaches training: its users' own labels change none of their predictions or
 * probabilities, for the model (with a grid and refinements chosen on validation) and for every trained baseline.
 */
class MaskingTest {
    private static final int FOLDS = 3;
    private static GraphSnapshot real;
    private static GraphSnapshot scrambled;
    private static int[] folds;

    @BeforeAll
    static void scramble() throws IOException {
        real = Snapshots.of(DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE));
        folds = Folds.stratified(real.regions(), FOLDS, 42);
        int[] scrambledRegions = real.regions().clone();
        Random random = new Random(1);
        int classes = real.classCount();
        for (int u = 0; u < scrambledRegions.length; u++) {
            if (folds[u] == 0) {
                scrambledRegions[u] = (scrambledRegions[u] + 1 + random.nextInt(classes - 1)) % classes;
            }
        }
        scrambled = new GraphSnapshot(real.nodeIds(), real.userIds(), scrambledRegions, real.friendOffsets(),
                real.friends(), real.likeOffsets(), real.likes(), real.artistIds(), real.artistNodeIds(), real.featureSource());
    }

    @Test
    void scramblingTheTestFoldsLabelsChangesNoneOfItsPredictions() {
        for (RegionFamily family : List.of(RegionFamily.GCN, RegionFamily.GAT)) {
            CrossValidation.Result a = run(real, family);
            CrossValidation.Result b = run(scrambled, family);
            int classes = real.classCount();
            int compared = 0;
            for (int u = 0; u < folds.length; u++) {
                if (folds[u] == 0) {
                    assertThat(b.predicted()[u]).as(family + " user " + u).isEqualTo(a.predicted()[u]);
                    for (int c = 0; c < classes; c++) {
                        assertThat(b.probabilities()[u * classes + c]).as(family + " user " + u + " class " + c)
                                .isEqualTo(a.probabilities()[u * classes + c]);
                    }
                    for (String baseline : a.baselineProbabilities().keySet()) {
                        for (int c = 0; c < classes; c++) {
                            assertThat(b.baselineProbabilities().get(baseline)[u * classes + c])
                                    .as(baseline + " user " + u + " class " + c)
                                    .isEqualTo(a.baselineProbabilities().get(baseline)[u * classes + c]);
                        }
                    }
                    compared++;
                }
            }
            assertThat(compared).isGreaterThan(2500);
            assertThat(a.baselineProbabilities()).containsKeys("labelPropagation", "correctAndSmooth", "mlp", "labelFeatureMlp");
            // several candidates were judged on validation in round 0 (2 grid points x 2 refinements)
            assertThat(a.rounds().get(0).chosen().refinement()).isNotNull();
            // the scrambled labels do count when they are the answer: fold 0 now scores about zero
            assertThat(b.rounds().get(0).accuracy()).isLessThan(0.1);
            assertThat(a.rounds().get(0).accuracy()).isGreaterThan(0.8);
            assertThat(b.baselineAccuracies().get("labelPropagation")[0]).isLessThan(0.1);
        }
    }

    /** Mini-batches on sampled subgraphs keep the same rule: the test fold's users are neighbours without labels. */
    @Test
    void miniBatchesOnSampledSubgraphsKeepTheTestFoldOut() {
        Sampling sampling = new Sampling(256, new int[] {5, 5});
        CrossValidation.Result a = runSampled(real, sampling);
        CrossValidation.Result b = runSampled(scrambled, sampling);
        int classes = real.classCount();
        int compared = 0;
        for (int u = 0; u < folds.length; u++) {
            if (folds[u] == 0) {
                for (int c = 0; c < classes; c++) {
                    assertThat(b.probabilities()[u * classes + c]).as("user " + u + " class " + c)
                            .isEqualTo(a.probabilities()[u * classes + c]);
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(2500);
        assertThat(a.rounds().get(0).accuracy()).isGreaterThan(0.8);
        assertThat(b.rounds().get(0).accuracy()).isLessThan(0.1);
    }

    private static CrossValidation.Result runSampled(GraphSnapshot g, Sampling sampling) {
        RegionPlan model = TrainConfig.plan(RegionFamily.GCN, Map.of("epochs", 8L, "patience", 8L));
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            return new CrossValidation(g, new RegionInputs(g, Set.of("labels", "structure"), g.classCount()), List.of(model),
                    List.of(), Evaluation.kFold(FOLDS), sampling, 42, ProgressTracker.silent("masking")).run(manager, folds);
        }
    }

    private static CrossValidation.Result run(GraphSnapshot g, RegionFamily family) {
        RegionPlan model = TrainConfig.plan(family, Map.of("epochs", 8L, "patience", 8L, "grid",
                Map.of("hiddenSize", List.of(8L, 16L)), "smoothing", List.of(0, 0.5)));
        List<RegionPlan> baselines = List.of(TrainConfig.defaultPlan(RegionFamily.LABEL_PROPAGATION),
                TrainConfig.plan(RegionFamily.CORRECT_AND_SMOOTH, Map.of("epochs", 8L, "correction", 0.8, "smoothing", 0.8)),
                TrainConfig.plan(RegionFamily.MLP, Map.of("epochs", 8L)),
                TrainConfig.plan(RegionFamily.LABEL_FEATURE_MLP, Map.of("epochs", 8L)));
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            return new CrossValidation(g, new RegionInputs(g, Set.of("labels", "structure"), g.classCount()), List.of(model),
                    baselines, Evaluation.kFold(FOLDS), 42, ProgressTracker.silent("masking")).run(manager, folds);
        }
    }
}

package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.LastFmGraph;

/**
 * Mini-batch training on sampled subgraphs learns what full-batch training learns: the default GCN on the same
 * three folds, 512 seeds a step and 10 friendships per user and hop, is within 0.01 of the full-batch accuracy,
 * and a fixed seed gives the same numbers twice.
 */
class MiniBatchTest {
    @Test
    void miniBatchAccuracyIsWithinOneHundredthOfFullBatch() throws IOException {
        GraphSnapshot g = LastFmGraph.withoutLikes();
        Sampling sampling = new Sampling(512, new int[] {10, 10});
        double full = mean(run(g, Sampling.FULL_BATCH).accuracies());
        CrossValidation.Result mini = run(g, sampling);
        double miniBatch = mean(mini.accuracies());
        assertThat(full).isGreaterThan(0.85);
        assertThat(miniBatch).as("mini-batch against full batch (%.4f)", full).isCloseTo(full, org.assertj.core.data.Offset.offset(0.01));
        assertThat(run(g, sampling).probabilities()).as("same seed, same numbers").containsExactly(mini.probabilities());
    }

    private static CrossValidation.Result run(GraphSnapshot g, Sampling sampling) {
        RegionPlan plan = TrainConfig.plan(RegionFamily.GCN, Map.of("epochs", 60L, "patience", 20L));
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            return new CrossValidation(g, new RegionInputs(g, Set.of("labels", "structure"), g.classCount()), List.of(plan),
                    List.of(), Evaluation.kFold(3), sampling, 42, ProgressTracker.silent("mini-batch")).run(manager);
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }
}

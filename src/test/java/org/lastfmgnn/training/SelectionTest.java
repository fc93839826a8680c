package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionInput;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.Refinement;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.LastFmGraph;

/**
 * Choices are made on the validation split, never on the test users: with label propagation's candidates
 * (alphas and step counts), every round's choice is the candidate best on validation, recomputed here, and in
 * some round that is not the candidate best on the test users, so choosing on test would have given another.
 */
class SelectionTest {
    @Test
    void theChoiceIsTheBestOnValidationNotOnTest() throws IOException {
        GraphSnapshot g = LastFmGraph.withoutLikes();
        RegionPlan plan = TrainConfig.plan(RegionFamily.LABEL_PROPAGATION, java.util.Map.of("propagationSteps", 10L));
        RegionInputs inputs = new RegionInputs(g, Set.of("labels", "structure"), g.classCount());
        Evaluation evaluation = Evaluation.kFold(5);
        long seed = 42;
        int differs = 0;
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, g, false);
             RegionNetwork lp = new RegionNetwork(manager, RegionFamily.LABEL_PROPAGATION, false, null, g.classCount(), 0)) {
            CrossValidation.Result result = new CrossValidation(g, inputs, List.of(plan), List.of(), evaluation, seed,
                    ProgressTracker.silent("selection")).run(manager);
            int[] foldOf = evaluation.foldOf(g.regions(), seed);
            for (CrossValidation.Round round : result.rounds()) {
                Folds.Split split = evaluation.round(g.regions(), foldOf, round.round(), seed);
                RegionInput fit = inputs.tensors(tensors, g.regions(), RegionFit.mask(g.userCount(), split.fit()));
                RegionInput train = inputs.tensors(tensors, g.regions(), split.trainMask());
                Refinement bestOnValidation = null;
                Refinement bestOnTest = null;
                double validationBest = -1;
                double testBest = -1;
                for (Refinement r : plan.refinements()) {
                    double v = accuracy(lp, tensors, fit, r, g.regions(), split.validation());
                    double t = accuracy(lp, tensors, train, r, g.regions(), split.test());
                    if (v > validationBest) {
                        validationBest = v;
                        bestOnValidation = r;
                    }
                    if (t > testBest) {
                        testBest = t;
                        bestOnTest = r;
                    }
                }
                assertThat(round.chosen().refinement()).as("round " + round.round()).isEqualTo(bestOnValidation);
                assertThat(round.chosen().validationAccuracy()).isEqualTo(validationBest);
                assertThat(round.accuracy()).isLessThanOrEqualTo(testBest);
                differs += bestOnTest.equals(bestOnValidation) ? 0 : 1;
            }
        }
        assertThat(differs).as("rounds where the test users would have chosen another candidate").isPositive();
    }

    private static double accuracy(RegionNetwork lp, GraphTensors tensors, RegionInput input, Refinement r, int[] regions,
                                   int[] users) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return Metrics.accuracy(RegionFit.predict(lp, tensors, input, r), regions, users);
        }
    }
}

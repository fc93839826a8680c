package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.Refinement;

class TrainConfigTest {
    @Test
    void defaultsDependOnTheModel() {
        TrainConfig gcn = TrainConfig.parse(Map.of());
        assertThat(gcn.model()).isEqualTo("gcn");
        assertThat(gcn.rounds()).isEqualTo(5);
        assertThat(gcn.evaluation().isSplit()).isFalse();
        assertThat(gcn.randomSeed()).isEqualTo(42);
        assertThat(gcn.modelName()).isEqualTo("gcn-region");
        RegionPlan plan = gcn.plans().get(0);
        assertThat(plan.family()).isEqualTo(RegionFamily.GCN);
        assertThat(plan.grid()).singleElement().satisfies(hp -> {
            assertThat(hp.hiddenSize()).containsExactly(64);
            assertThat(hp.inputDropout()).isEqualTo(0.2);
            assertThat(hp.dropout()).isEqualTo(0.5);
        });
        assertThat(plan.refinements()).contains(Refinement.NONE);
        HyperParameters gat = TrainConfig.parse(Map.of("model", "gat")).plans().get(0).grid().get(0);
        assertThat(gat.learningRate()).isEqualTo(0.005);
        assertThat(gat.heads()).isEqualTo(8);
        assertThat(TrainConfig.parse(Map.of("model", "mlp")).plans().get(0).refinements()).containsExactly(Refinement.NONE);
        RegionPlan lp = TrainConfig.parse(Map.of("model", "labelPropagation")).plans().get(0);
        assertThat(lp.grid()).isEmpty();
        assertThat(lp.refinements()).allSatisfy(r -> assertThat(r.correction()).isZero()).hasSizeGreaterThan(5);
        assertThat(TrainConfig.parse(Map.of("model", "auto")).plans()).extracting(RegionPlan::family)
                .containsExactlyElementsOf(TrainConfig.AUTO_FAMILIES);
        assertThat(TrainConfig.parse(Map.of("model", "LabelFeatureMLP")).model()).isEqualTo("labelFeatureMlp");
    }

    @Test
    void theGridIsTheProductOfItsAxesOverTheBaseValues() {
        TrainConfig config = TrainConfig.parse(Map.of("epochs", 30L, "grid",
                Map.of("learningRate", List.of(0.01, 0.1), "hiddenSize", List.of(8L, List.of(16L, 4L)), "dropout", List.of(0.0))));
        List<HyperParameters> grid = config.plans().get(0).grid();
        assertThat(grid).hasSize(4);
        assertThat(grid).allSatisfy(hp -> assertThat(hp.epochs()).isEqualTo(30));
        assertThat(grid).extracting(hp -> hp.hiddenSize().length).containsExactlyInAnyOrder(1, 1, 2, 2);
    }

    @Test
    void refinementCandidatesAreEveryCombinationWithOffOnce() {
        RegionPlan plan = TrainConfig.parse(Map.of("correction", List.of(0, 0.5), "smoothing", List.of(0, 0.8),
                "propagationSteps", List.of(10, 20))).plans().get(0);
        // off/off once; (0, 0.8), (0.5, 0), (0.5, 0.8) at two step counts each
        assertThat(plan.refinements()).hasSize(1 + 3 * 2).startsWith(Refinement.NONE);
        assertThat(plan.size()).isEqualTo(7);
    }

    @Test
    void theSplitProtocolIsParsedAndChecked() {
        Evaluation split = TrainConfig.parse(Map.of("split", Map.of("train", 0.5, "validation", 0.25, "test", 0.25,
                "repetitions", 3L))).evaluation();
        assertThat(split.isSplit()).isTrue();
        assertThat(split.rounds()).isEqualTo(3);
        assertThat(split.describe()).isEqualTo("50/25/25 split x 3");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("split", Map.of("train", 0.5, "validation", 0.3, "test", 0.3))))
                .hasMessageContaining("'split' shares must add up to 1");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("split", Map.of("train", 0.5), "folds", 3L)))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("split", Map.of("trian", 0.5))))
                .hasMessageContaining("did you mean 'train'");
    }

    @Test
    void baselinesAndConcurrencyHaveDefaultsAndBounds() {
        TrainConfig defaults = TrainConfig.parse(Map.of());
        assertThat(defaults.baselines()).isTrue();
        assertThat(defaults.concurrency()).isEqualTo(Math.min(4, Runtime.getRuntime().availableProcessors()));
        assertThat(TrainConfig.parse(Map.of("baselines", false)).baselines()).isFalse();
        assertThat(TrainConfig.parse(Map.of("baselines", false, "mlpBaseline", false)).baselines()).isFalse();
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("baselines", false, "mlpBaseline", true)))
                .hasMessageContaining("'baselines: false' turns off");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("task", "artists", "baselines", false)))
                .hasMessageContaining("applies to task 'region' only");
        assertThat(TrainConfig.parse(Map.of("task", "artists", "concurrency", 1L)).concurrency()).isEqualTo(1);
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("concurrency", 0L))).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("concurrency", Runtime.getRuntime().availableProcessors() + 1L)))
                .hasMessageContaining("concurrency");
    }

    @Test
    void aKeyThatDoesNotApplyIsRefusedWithTheReason() {
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("topK", 5L)))
                .hasMessageContaining("'topK' does not apply to task 'region'").hasMessageContaining("task 'artists' only");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "labelPropagation", "batchSize", 5L)))
                .hasMessageContaining("'batchSize' does not apply").hasMessageContaining("has no trained part");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("task", "artists", "fanouts", List.of(5L))))
                .hasMessageContaining("'fanouts' does not apply").hasMessageContaining("task 'region' only");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("heads", 4L)))
                .hasMessageContaining("'heads' does not apply").hasMessageContaining("model 'gat' only");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "mlp", "heads", 4L))).hasMessageContaining("'gat' only");
        for (String key : List.of("smoothing", "inputs", "mlpBaseline", "correction")) {
            Object value = key.equals("inputs") ? List.of("structure") : key.equals("mlpBaseline") ? (Object) false : 0.5;
            assertThatThrownBy(() -> TrainConfig.parse(Map.of("task", "artists", key, value)))
                    .as(key).hasMessageContaining("applies to task 'region' only");
        }
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "labelPropagation", "learningRate", 0.1)))
                .hasMessageContaining("has no trained part");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "labelPropagation", "correction", 0.5)))
                .hasMessageContaining("no base prediction to correct");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "mlp", "smoothing", 0.5)))
                .hasMessageContaining("baseline without propagation");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "auto", "epochs", 5L)))
                .hasMessageContaining("chooses each family's hyperparameters");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "mlp", "inputs", List.of("labels"))))
                .hasMessageContaining("reads no label inputs");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("grid", Map.of("smoothing", List.of(0, 0.5)))))
                .hasMessageContaining("take their candidates directly");
    }

    @Test
    void regionTrainingIsFullBatchUnlessABatchSizeIsGiven() {
        assertThat(TrainConfig.parse(Map.of()).sampling()).isEqualTo(Sampling.FULL_BATCH);
        assertThat(TrainConfig.parse(Map.of("task", "artists")).batchSize()).isEqualTo(512);
        Sampling s = TrainConfig.parse(Map.of("batchSize", 256L, "fanouts", List.of(10L, -1L))).sampling();
        assertThat(s.batchSize()).isEqualTo(256);
        assertThat(s.fanouts(3)).containsExactly(10, -1, -1);
        assertThat(TrainConfig.parse(Map.of("batchSize", 256L)).sampling().fanouts(2)).containsExactly(-1, -1);
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("fanouts", List.of(10L))))
                .hasMessageContaining("give 'batchSize'");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("batchSize", 256L, "fanouts", List.of(10L, 0L))))
                .hasMessageContaining("'fanouts' values must be integers from 1 to 100000, or -1").hasMessageContaining("got 0");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("batchSize", 256L, "fanouts", List.of())))
                .hasMessageContaining("'fanouts' must be a list of 1-8");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("batchSize", 0L))).hasMessageContaining("batchSize");
    }

    @Test
    void theDeviceIsAutoUnlessToldAndEveryTaskTakesIt() {
        assertThat(TrainConfig.parse(Map.of()).device()).isEqualTo("auto");
        for (String task : List.of("region", "artists", "friends")) {
            assertThat(TrainConfig.parse(Map.of("task", task, "device", "CPU")).device()).as(task).isEqualTo("cpu");
        }
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("device", "tpu")))
                .hasMessageContaining("'tpu' is not a valid value for 'device'. Allowed: [auto, cpu, gpu]");
        // parsed without the engine; a device this process lacks is refused when the run asks for it
        TrainConfig gpu = TrainConfig.parse(Map.of("device", "gpu"));
        assertThatThrownBy(gpu::tensorDevice).hasMessageStartingWith("lastfm.gnn.train: device 'gpu'");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("inputs", List.of("labels", "friends"))))
                .hasMessageContaining("'inputs' holds 'friends'. Allowed: [labels, structure, artists]");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("grid", Map.of("epochs", List.of()))))
                .hasMessageContaining("'grid.epochs' must be a non-empty list");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("task", "tracks")))
                .hasMessageContaining("'tracks' is not a valid value for 'task'. Allowed: [region, artists, friends]");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "transformer")))
                .hasMessageContaining("'transformer' is not a valid value for 'model'. Allowed: [labelPropagation, "
                        + "correctAndSmooth, mlp, labelFeatureMlp, gcn, gat, auto]");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("task", "artists", "grid", Map.of("epochs", List.of(1, 2)))))
                .hasMessageContaining("'grid' does not apply to task 'artists'");
        assertThat(TrainConfig.parse(Map.of("task", "artists")).artistHp().learningRate()).isEqualTo(0.005);
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("dropout", 1.5)))
                .hasMessageContaining("'dropout' must be between 0.0 and 0.95");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("smoothing", List.of(0.5, 1.5))))
                .hasMessageContaining("'smoothing' values must be numbers between 0.0 and 0.999");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("model", "labelPropagation", "smoothing", 0)))
                .hasMessageContaining("would propagate nothing");
    }
}

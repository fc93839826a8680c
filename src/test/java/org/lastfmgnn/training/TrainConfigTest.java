package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.model.Architecture;

class TrainConfigTest {
    @Test
    void defaultsDependOnTheModel() {
        TrainConfig gcn = TrainConfig.parse(Map.of());
        assertThat(gcn.model()).isEqualTo(Architecture.GCN);
        assertThat(gcn.folds()).isEqualTo(5);
        assertThat(gcn.randomSeed()).isEqualTo(42);
        assertThat(gcn.modelName()).isEqualTo("gcn-region");
        assertThat(gcn.grid()).singleElement().satisfies(hp -> {
            assertThat(hp.hiddenSize()).containsExactly(64);
            assertThat(hp.smoothing()).isEqualTo(0.5);
        });
        HyperParameters gat = TrainConfig.parse(Map.of("model", "gat")).grid().get(0);
        assertThat(gat.learningRate()).isEqualTo(0.005);
        assertThat(gat.heads()).isEqualTo(8);
        assertThat(TrainConfig.parse(Map.of("model", "mlp")).grid().get(0).smoothing()).isZero();
    }

    @Test
    void theGridIsTheProductOfItsAxesOverTheBaseValues() {
        TrainConfig config = TrainConfig.parse(Map.of("epochs", 30L, "grid",
                Map.of("learningRate", List.of(0.01, 0.1), "hiddenSize", List.of(8L, List.of(16L, 4L)), "dropout", List.of(0.0))));
        assertThat(config.grid()).hasSize(4);
        assertThat(config.grid()).allSatisfy(hp -> assertThat(hp.epochs()).isEqualTo(30));
        assertThat(config.grid()).extracting(hp -> hp.hiddenSize().length).containsExactlyInAnyOrder(1, 1, 2, 2);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("inputs", List.of("labels", "friends"))))
                .hasMessageContaining("'inputs' holds 'friends'. Allowed: [labels, structure, artists]");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("grid", Map.of("epochs", List.of()))))
                .hasMessageContaining("'grid.epochs' must be a non-empty list");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("task", "tracks")))
                .hasMessageContaining("'tracks' is not a valid value for 'task'. Allowed: [region, artists]");
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("task", "artists", "grid", Map.of("epochs", List.of(1, 2)))))
                .hasMessageContaining("'grid' is supported for task 'region'");
        assertThat(TrainConfig.parse(Map.of("task", "artists")).grid().get(0).learningRate()).isEqualTo(0.005);
        assertThatThrownBy(() -> TrainConfig.parse(Map.of("dropout", 1.5)))
                .hasMessageContaining("'dropout' must be between 0.0 and 0.95");
    }
}

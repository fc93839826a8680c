package org.lastfmgnn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapTest {
    private static final List<String> KEYS = List.of("learningRate", "epochs", "model");

    @Test
    void unknownKeyNamesTheClosestValidKeyAndAllValidOnes() {
        assertThatThrownBy(() -> ConfigMap.of("lastfm.x", Map.of("lerningRate", 0.1), KEYS))
                .hasMessageContaining("'lerningRate'")
                .hasMessageContaining("did you mean 'learningRate'")
                .hasMessageContaining("[epochs, learningRate, model]");
    }

    @Test
    void farOffKeyGetsNoSuggestion() {
        assertThatThrownBy(() -> ConfigMap.of("lastfm.x", Map.of("colour", 1L), KEYS))
                .hasMessageNotContaining("did you mean")
                .hasMessageContaining("Valid keys");
    }

    @Test
    void typesAndRangesAreChecked() {
        ConfigMap config = ConfigMap.of("lastfm.x", Map.of("epochs", "ten", "learningRate", -1.0, "model", "GCN"), KEYS);
        assertThatThrownBy(() -> config.integer("epochs", 1, 1, 10)).hasMessageContaining("'epochs' must be an integer, got ten");
        assertThatThrownBy(() -> config.number("learningRate", 0.1, 0, 1)).hasMessageContaining("between 0.0 and 1.0, got -1.0");
        assertThat(config.choice("model", "mlp", List.of("gcn", "mlp"))).isEqualTo("gcn");
        assertThatThrownBy(() -> config.choice("model", "mlp", List.of("gat", "mlp"))).hasMessageContaining("Allowed: [gat, mlp]");
    }

    @Test
    void missingKeysTakeDefaults() {
        ConfigMap config = ConfigMap.of("lastfm.x", null, KEYS);
        assertThat(config.integer("epochs", 7, 1, 10)).isEqualTo(7);
        assertThat(config.has("model")).isFalse();
    }
}

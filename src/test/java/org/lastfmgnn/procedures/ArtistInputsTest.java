package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/** Artist likes as sparse inputs: only when asked for while they are synthetic, and then labelled so. */
class ArtistInputsTest {
    /** Every fourth user: all regions in their usual shares. */
    private static final String SLICE = "MATCH (u:User) WHERE u.id % 4 = 0 RETURN u";

    @Test
    void syntheticLikesAreUsedOnlyWhenAskedForAndFlagged() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS, DatasetFiles.SYNTHETIC_FEATURES);
            neo4j.run("CALL lastfm.load({features: 'synthetic', batchSize: 100000})");

            Record byDefault = train(neo4j, Map.of("userQuery", SLICE, "epochs", 5, "folds", 2, "write", false,
                    "mlpBaseline", false));
            assertThat(byDefault.get("inputs").asList(Value::asString)).containsExactly("labels", "structure");
            assertThat(byDefault.get("featureSource").asString()).isEqualTo("none");

            for (String model : List.of("gcn", "gat", "mlp")) {
                Map<String, Object> config = new java.util.HashMap<>(Map.of("model", model, "inputs", List.of("artists"),
                        "userQuery", SLICE, "epochs", 30, "folds", 2, "write", false, "mlpBaseline", false));
                if (!model.equals("mlp")) {
                    config.put("smoothing", 0.0); // the network's own reading of the artists, without propagation
                }
                Record withArtists = train(neo4j, config);
                assertThat(withArtists.get("inputs").asList(Value::asString)).containsExactly("artists");
                assertThat(withArtists.get("featureSource").asString()).isEqualTo("synthetic");
                // artists alone carry region signal in the synthetic data: well above the majority class
                assertThat(withArtists.get("accuracyMean").asDouble()).as(model)
                        .isGreaterThan(withArtists.get("baselines").get("majorityClass").get("accuracyMean").asDouble() + 0.1);
            }
        }
    }

    private static Record train(TestNeo4j neo4j, Map<String, Object> config) {
        return neo4j.run("CALL lastfm.gnn.train($c)", Map.of("c", config)).get(0);
    }
}

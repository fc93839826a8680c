package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;

/**
 * The path the real likes file takes: 'auto' picks up lastfm_asia_features.json, and every artist number says
 * where the likes came from. The file here is small and made up, so it is 'unverified', not 'real'.
 */
class RealFormatLikesTest {
    @Test
    void autoLoadsTheRealFileNameAndArtistTrainingCarriesItsSource() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            StringBuilder json = new StringBuilder("{");
            Random random = new Random(3);
            for (int user = 0; user < 7_624; user++) {
                json.append(user == 0 ? "" : ", ").append('"').append(user).append("\": [");
                for (int i = 0; i < 8; i++) {
                    json.append(i == 0 ? "" : ", ").append(random.nextInt(300));
                }
                json.append(']');
            }
            Files.writeString(neo4j.importDir().resolve(DatasetFiles.REAL_FEATURES), json.append('}'));

            Record load = neo4j.run("CALL lastfm.load()").get(0);
            assertThat(load.get("featureSource").asString()).isEqualTo("unverified");
            assertThat(load.get("artists").asLong()).isEqualTo(300);

            Record train = neo4j.run("CALL lastfm.gnn.train($c)", Map.of("c",
                    Map.of("task", "artists", "folds", 2, "epochs", 5, "topK", 3))).get(0);
            assertThat(train.get("featureSource").asString()).isEqualTo("unverified");
            assertThat(neo4j.count("MATCH (m:GnnModel {name: 'gcn-artists'}) RETURN count(m)")).isEqualTo(1);
            assertThat(neo4j.run("MATCH (m:GnnModel {name: 'gcn-artists'}) RETURN m.featureSource AS s").get(0)
                    .get("s").asString()).isEqualTo("unverified");
            // region training leaves unverified likes out unless asked: they are not known to be the real file
            Record region = neo4j.run("CALL lastfm.gnn.train({folds: 2, epochs: 3, baselines: false, write: false})").get(0);
            assertThat(region.get("featureSource").asString()).isEqualTo("none");
        }
    }
}

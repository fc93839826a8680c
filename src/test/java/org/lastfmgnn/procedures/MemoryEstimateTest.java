package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;

/** lastfm.gnn.train.estimate answers before a run; a run that cannot fit is refused with the numbers. */
class MemoryEstimateTest {
    @Test
    void estimatesAndRefusesWhatCannotFit() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            neo4j.run("CALL lastfm.load({features: 'none'})");
            Record gcn = neo4j.run("CALL lastfm.gnn.train.estimate({})").get(0);
            assertThat(gcn.get("users").asLong()).isEqualTo(7_624);
            assertThat(gcn.get("friendships").asLong()).isEqualTo(27_806);
            assertThat(gcn.get("nativeBytes").asLong()).isBetween(1L << 20, 1L << 30);
            assertThat(gcn.get("bytesMin").asLong()).isEqualTo(gcn.get("heapBytes").asLong() + gcn.get("nativeBytes").asLong());
            assertThat(gcn.get("bytesMax").asLong()).isGreaterThan(gcn.get("bytesMin").asLong());
            Record gat = neo4j.run("CALL lastfm.gnn.train.estimate({model: 'gat'})").get(0);
            assertThat(gat.get("nativeBytes").asLong()).as("attention over 63k edges costs more").isGreaterThan(gcn.get("nativeBytes").asLong());

            Map<String, Object> huge = Map.of("model", "gat", "heads", 64, "hiddenSize", List.of(4096, 4096));
            assertThat(neo4j.run("CALL lastfm.gnn.train.estimate($c)", Map.of("c", huge)).get(0).get("nativeBytes").asLong())
                    .isGreaterThan(100L << 30);
            // in mini-batches a step holds one batch's subgraph: the per-edge attention of 64 heads is counted for
            // 64 seeds and their sampled friends, the whole graph's only for the forward passes of validation
            Map<String, Object> wide = Map.of("model", "gat", "heads", 64, "hiddenSize", List.of(256));
            Map<String, Object> wideInBatches = new java.util.HashMap<>(wide);
            wideInBatches.putAll(Map.of("batchSize", 64, "fanouts", List.of(2)));
            long full = neo4j.run("CALL lastfm.gnn.train.estimate($c)", Map.of("c", wide)).get(0).get("nativeBytes").asLong();
            long batched = neo4j.run("CALL lastfm.gnn.train.estimate($c)", Map.of("c", wideInBatches)).get(0)
                    .get("nativeBytes").asLong();
            assertThat(batched).as("mini-batches against full batch (%d MB)", full >> 20).isLessThan(full / 3);
            assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.train($c)", Map.of("c", huge)))
                    .hasMessageContaining("This training needs about").hasMessageContaining("MB are available");
            assertThat(neo4j.count("MATCH (u:User) WHERE u.predictedRegion IS NOT NULL RETURN count(u)")).isZero();
            assertThat(neo4j.count("CALL lastfm.gnn.progress() YIELD taskName RETURN count(*)")).isZero();
        }
    }
}

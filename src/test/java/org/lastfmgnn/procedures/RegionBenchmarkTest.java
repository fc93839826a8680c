package org.lastfmgnn.procedures;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;

/**
 * The three models with their defaults on the full graph (no artist features), through the procedure:
 * accuracy, time per epoch, export and write times, peak memory. Run with ./mvnw verify -Pbenchmarks.
 */
@Tag("benchmark")
class RegionBenchmarkTest {
    @Test
    void defaultsOfEachModel() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            neo4j.run("CALL lastfm.load({features: 'none'})");
            for (String model : List.of("gcn", "gat", "mlp")) {
                Record r = neo4j.run("CALL lastfm.gnn.train($c)", Map.of("c", Map.of("model", model))).get(0);
                System.out.printf("BENCH %s accuracy %.4f +- %.4f macroF1 %.4f epoch %.1f ms export %d ms train %d ms write %d ms baselines %s%n",
                        model, r.get("accuracyMean").asDouble(), r.get("accuracyStd").asDouble(), r.get("macroF1Mean").asDouble(),
                        r.get("epochMillis").asDouble(), r.get("exportMillis").asLong(), r.get("trainMillis").asLong(),
                        r.get("writeMillis").asLong(), r.get("baselines").asMap());
            }
            System.out.printf("BENCH peak heap %d MB, peak RSS %s%n",
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20,
                    Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("?"));
        }
    }
}

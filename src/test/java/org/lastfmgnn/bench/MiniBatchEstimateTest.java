package org.lastfmgnn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README quotes for mini-batches ({@code batchSize: 512, fanouts: [10, 10]}, the likes as inputs):
 * {@code train.estimate}'s native memory within 25% of the resident growth its epochs measure, at 1x, 10x and 100x
 * the LastFM graph, and none of that growth the JVM enlarging its heap (the likes' chunks are built through one
 * reused buffer). Each size is {@link ScaleRun} in a fresh JVM on a fresh store: about 10 minutes and 16 GB at
 * 100x. Run with ./mvnw verify -Pbenchmarks -Dtest=MiniBatchEstimateTest.
 */
@Tag("benchmark")
class MiniBatchEstimateTest {
    @TempDir
    Path tmp;

    @Test
    void theNativeEstimateIsWithinAQuarterOfTheGrowthAtEverySize() throws Exception {
        for (int factor : List.of(1, 10, 100)) {
            Path work = tmp.resolve("scale-" + factor);
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), ScaleRun.class.getName(),
                    Integer.toString(factor), Path.of("data").toAbsolutePath().toString(), work.toString(), "7",
                    "mini-batch").redirectErrorStream(true).redirectOutput(tmp.resolve(factor + ".log").toFile()).start();
            assertThat(process.waitFor(30, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("ScaleRun %dx, log %s", factor, tmp.resolve(factor + ".log")).isZero();
            JsonNode result = new ObjectMapper().readTree(work.resolve("result.json").toFile());
            assertThat(result.has("miniBatchRefused")).as(result.toString()).isFalse();
            double growth = result.at("/miniBatchRssGrowthMb").asDouble();
            assertThat(result.at("/miniBatchEstimateNativeMb").asDouble()).as("%dx: %s", factor, result)
                    .isBetween(0.75 * growth, 1.25 * growth);
            assertThat(result.at("/miniBatchHeapGrowthMb").asDouble()).as("%dx: %s", factor, result)
                    .isLessThan(0.1 * growth);
        }
    }
}

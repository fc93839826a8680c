package org.lastfmgnn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs {@link ScaleRun} once per size, each in a fresh JVM on a fresh store, and collects their results. */
final class ScaleSeries {
    private static final long SEED = 7;
    private final Path dir;
    private final Path data;
    private final Consumer<String> log;

    ScaleSeries(Path dir, Path data, Consumer<String> log) {
        this.dir = dir;
        this.data = data;
        this.log = log;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> run(BenchMode mode) throws Exception {
        List<Map<String, Object>> results = new ArrayList<>();
        for (int factor : mode.scaleFactors()) {
            Path work = dir.resolve("scale-" + factor);
            Files.createDirectories(work);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                    "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "1"),
                    "-cp", System.getProperty("java.class.path"), ScaleRun.class.getName(),
                    Integer.toString(factor), data.toString(), work.toString(), Long.toString(SEED)));
            log.accept("scale " + factor + "x: starting (log in " + work.resolve("run.log") + ")");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("run.log").toFile()).start();
            boolean done = process.waitFor(6, TimeUnit.HOURS);
            File resultFile = work.resolve("result.json").toFile();
            Map<String, Object> result;
            if (done && process.exitValue() == 0 && resultFile.isFile()) {
                result = new ObjectMapper().readValue(resultFile, LinkedHashMap.class);
            } else {
                process.destroyForcibly();
                result = new LinkedHashMap<>();
                result.put("factor", factor);
                result.put("failed", "exit " + (done ? process.exitValue() : "timeout") + "; the last lines of "
                        + work.resolve("run.log") + " say why");
            }
            results.add(result);
            log.accept("scale " + factor + "x: " + result);
        }
        return results;
    }
}

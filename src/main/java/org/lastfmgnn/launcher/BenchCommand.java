package org.lastfmgnn.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.bench.BenchMode;
import org.lastfmgnn.bench.BenchReport;
import org.lastfmgnn.bench.Benchmark;
import org.lastfmgnn.server.EmbeddedServer;

/**
 * {@code --bench quick|full}: a server of its own on a fresh store (OUT/bench-store, replaced on every run; a
 * marker file keeps it from ever deleting a folder it did not make), the benchmark, bench.json and the table.
 */
final class BenchCommand {
    private static final String MARKER = ".lastfm-bench-store";
    private final Path outDir;
    private final Path data;
    private final BenchMode mode;
    private final String device;

    /** @param device where the epochs are timed, one of {@code Engines.DEVICES} */
    BenchCommand(Path outDir, Path data, BenchMode mode, String device) {
        this.outDir = outDir;
        this.data = data;
        this.mode = mode;
        this.device = device;
    }

    int run() throws Exception {
        Path store = freshFolder(outDir.resolve("bench-store"));
        Path scale = freshFolder(outDir.resolve("bench-scale"));
        Path imports = store.resolve("import");
        Files.createDirectories(imports);
        new DatasetStaging(data, imports, URI.create("file:///nonexistent"), System.out).stage("synthetic");
        long start = System.nanoTime();
        Map<String, Object> bench;
        String password = "bench-" + System.nanoTime();
        try (EmbeddedServer server = EmbeddedServer.start(new EmbeddedServer.Settings(store, imports, EmbeddedServer.freePort(), EmbeddedServer.freePort(),
                "1g"), password)) {
            bench = new Benchmark(server.database(), server.boltUri(), password, mode, device,
                    line -> System.out.println("[bench] " + line)).run(scale, data);
        }
        bench.put("totalMillis", (System.nanoTime() - start) / 1_000_000);
        Path file = BenchReport.write(bench, outDir);
        System.out.println();
        System.out.print(BenchReport.table(bench));
        System.out.printf("%nbench.json: %s (%s mode, %.1f minutes)%n", file, mode.name(), ((Number) bench.get("totalMillis")).doubleValue() / 60000);
        return 0;
    }

    private static Path freshFolder(Path folder) throws IOException {
        if (Files.exists(folder)) {
            if (!Files.exists(folder.resolve(MARKER))) {
                throw new IllegalStateException(folder + " exists and was not made by --bench: move it away or choose another --out");
            }
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(folder);
        Files.createFile(folder.resolve(MARKER));
        return folder;
    }
}

package org.lastfmgnn.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lastfmgnn.bench.BenchMode;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.server.EmbeddedServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar target/lastfm-gnn-app.jar}: the embedded default. */
@Command(name = "lastfm-gnn", mixinStandardHelpOptions = true, version = "lastfm-gnn 0.1.0",
        description = {
            "Starts a Neo4j 5.26 server in this process (Bolt and HTTP on 127.0.0.1, Neo4j Browser, the lastfm",
            "procedures and GDS), loads the LastFM Asia data through lastfm.load, runs the pipeline, writes",
            "OUT/report.json, then keeps serving until Ctrl-C."})
public final class Launcher implements Callable<Integer> {
    @Option(names = "--exit", description = "Stop after the pipeline instead of serving.")
    boolean exit;

    @Option(names = "--bench", paramLabel = "quick|full|epochs|peer|gds|region|explain|friends",
            description = {"Run the benchmarks instead of the pipeline, on a fresh store in OUT/bench-store: writes",
                "OUT/bench.json and OUT/bench.md, prints the table and exits. quick: under 15 minutes on 2 cores;",
                "full: hours; epochs: load, export and epoch times only; peer: our CV and GDS's, fully autotuned;",
                "gds: the same on quick's budget, GDS with and without our label features;",
                "region: every region method over 3 fold seeds; explain: the explainers' fidelity on 200 users;",
                "friends: the friend evaluation beside GDS's link prediction pipeline, 3 seeds."})
    String bench;

    @Option(names = "--bench-seeds", split = ",", paramLabel = "SEED",
            description = "Fold seeds of --bench region and friends. Default: 42,43,44 (the reported ones).")
    List<Long> benchSeeds = BenchMode.REPORTED_SEEDS;

    @Option(names = "--skip-pipeline", description = "Do not load or train: only serve the existing store.")
    boolean skipPipeline;

    @Option(names = "--bulk-import", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"On a store with no database yet, write the dataset with Neo4j's offline importer before the",
                "server starts (lastfm.load then validates it and finds nothing to write). Default: on."})
    boolean bulkImport;

    @Option(names = "--out", defaultValue = "out", description = "Output folder (report.json). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--store", description = "Database folder. Default: OUT/neo4j.")
    Path store;

    @Option(names = "--data", defaultValue = "data", description = "Folder with the dataset files. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--features", defaultValue = "auto", paramLabel = "auto|none|synthetic|PATH",
            description = {"Artist likes to load. auto (default): the real file in DATA if present, else one try to",
                "download and verify SNAP's zip, else the synthetic stand-in (said loudly). PATH: a likes file."})
    String features;

    @Option(names = "--features-url", description = "Where auto downloads the SNAP zip from. Default: ${DEFAULT-VALUE}.")
    URI featuresUrl = org.lastfmgnn.dataset.FeaturesDownload.SNAP_ZIP;

    @Option(names = "--password", description = "Password of user neo4j. Default: $LASTFM_NEO4J_PASSWORD, else a random one printed once.")
    String password;

    @Option(names = "--http-port", defaultValue = "7474", description = "HTTP port (Browser). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--bolt-port", defaultValue = "7687", description = "Bolt port. Default: ${DEFAULT-VALUE}.")
    int boltPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@link Engines#DEVICES}, as picocli checks them. */
    enum DeviceChoice { auto, cpu, gpu }

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            description = {"Where the pipeline's trainings (and the benchmark's epochs) run: auto (default): the GPU",
                "when PyTorch sees one, else the CPU. gpu is refused at once where it sees none (these jars carry",
                "PyTorch's CPU natives)."})
    DeviceChoice device;

    /** What {@link NativeMemory} did, before anything allocated. */
    private static String nativeMemory = "default";

    public static void main(String[] args) {
        // DJL: no downloads, no telemetry; one intra-op thread is steadier on a small shared machine
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        nativeMemory = NativeMemory.tune();
        System.exit(new CommandLine(new Launcher()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path outDir = out.toAbsolutePath().normalize();
        try {
            Engines.device(device.name()); // before anything is loaded, written or started
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("lastfm-gnn: " + e.getMessage());
            return 2;
        }
        if (bench != null) {
            return new BenchCommand(outDir, data.toAbsolutePath().normalize(), BenchMode.of(bench, 42, benchSeeds),
                    device.name()).run();
        }
        Path storeDir = (store == null ? outDir.resolve("neo4j") : store).toAbsolutePath().normalize();
        Path importDir = storeDir.resolve("import");
        Files.createDirectories(importDir);
        Credentials credentials = credentials();

        Report report = new Report();
        report.value("nativeMemory", nativeMemory);
        String loadFeatures = null;
        if (!skipPipeline) {
            loadFeatures = new DatasetStaging(data.toAbsolutePath().normalize(), importDir, featuresUrl, System.out)
                    .stage(features);
            if (bulkImport) {
                new FirstLoad(storeDir, importDir, report).importIfEmpty(loadFeatures);
            }
        }
        long t0 = System.nanoTime();
        EmbeddedServer server = EmbeddedServer.start(
                new EmbeddedServer.Settings(storeDir, importDir, boltPort, httpPort, "512m"), credentials.password());
        report.timing("serverStartMillis", t0);
        // Ctrl-C / SIGTERM: Neo4j's bootstrapper has its own shutdown hook, which stops the server; a second hook of
        // ours raced it and logged "Failed to cleanly shutdown ... Shutdown in progress" in most interrupted runs
        try {
            if (!skipPipeline) {
                Pipeline pipeline = new Pipeline(server.database(), report, device.name());
                try (AutoCloseable bars = ConsoleProgress.startIfInteractive()) {
                    pipeline.run(loadFeatures);
                }
                Path reportFile = report.write(outDir);
                System.out.println("Report: " + reportFile + " and " + pipeline.writePage(outDir));
            }
            printSummary(server, credentials);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        if (exit) {
            server.close();
            return 0;
        }
        System.out.println("Serving until Ctrl-C.");
        new CountDownLatch(1).await();
        return 0;
    }

    private record Credentials(String password, String origin) {
    }

    private Credentials credentials() {
        if (password != null) {
            return new Credentials(password, "--password");
        }
        String fromEnv = System.getenv("LASTFM_NEO4J_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return new Credentials(fromEnv, "LASTFM_NEO4J_PASSWORD");
        }
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder generated = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            generated.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return new Credentials(generated.toString(), null);
    }

    private static void printSummary(EmbeddedServer server, Credentials credentials) {
        System.out.println();
        System.out.println("Neo4j is running (lastfm procedures and GDS registered, listening on 127.0.0.1 only)");
        System.out.println("  Browser:  " + server.browserUri());
        System.out.println("  Bolt:     " + server.boltUri());
        System.out.println("  User:     neo4j");
        System.out.println("  Password: " + (credentials.origin() == null
                ? credentials.password() + "   (random, shown once; set LASTFM_NEO4J_PASSWORD or --password to choose)"
                : "(from " + credentials.origin() + ")"));
        // Browser applies our style and opens our guide after login (EmbeddedServer.webSettings)
        System.out.println("  Try:      MATCH (s:User)-[i:INFLUENCES {explainedUser: 1005}]->(t:User) RETURN s, i, t"
                + "   (why 1005's region was predicted)");
        System.out.println("  Explorer: " + server.explorerUri() + "?user=1005   (widths follow importance and attention)");
    }
}

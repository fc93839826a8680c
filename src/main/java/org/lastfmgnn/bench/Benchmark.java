package org.lastfmgnn.bench;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.files.Folders;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.loading.EmptyStoreImport;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.training.HyperParameters;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.TrainConfig;
import org.lastfmgnn.writeback.RecommendationWriter;
import org.lastfmgnn.writeback.RegionPredictionWriter;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * One benchmark run against a server that this run owns (a fresh store): every figure of bench.json, measured
 * through the procedures users call where there is one, else through the same plain-Java code they call.
 * Timings are medians of repetitions after a warm-up.
 */
public final class Benchmark {
    private static final long SEED = 42;
    /** Users whose hidden friendships GDS's link prediction scores (its cost: see GdsLinkPrediction). */
    static final int FRIEND_PEER_SOURCES = 250;
    private final GraphDatabaseService db;
    private final String boltUri;
    private final String password;
    private final BenchMode mode;
    private final String epochDevice;
    private final Consumer<String> log;
    private final Map<String, Object> out = new LinkedHashMap<>();

    /**
     * @param boltUri     and {@code password} (of user neo4j): GDS is called over Bolt, see {@link BoltCypher}
     * @param epochDevice where the epochs and the floor's rates are timed, one of {@code Engines.DEVICES}
     */
    public Benchmark(GraphDatabaseService db, String boltUri, String password, BenchMode mode, String epochDevice,
                     Consumer<String> log) {
        this.db = db;
        this.boltUri = boltUri;
        this.password = password;
        this.mode = mode;
        this.epochDevice = epochDevice;
        this.log = log;
    }

    /** Runs everything; {@code scaleDir} gets the generated graphs and the scale runs' stores. */
    public Map<String, Object> run(Path scaleDir, Path dataDir) throws Exception {
        out.put("mode", mode.name());
        out.put("machine", Machine.describe());
        out.put("featureSource", "synthetic");
        load();
        bulkImport(scaleDir, dataDir);
        GraphSnapshot graph = export();
        if (mode.runs("writeBack")) {
            writeBack(graph);
        }
        if (mode.runs("epochs")) {
            epochs(graph);
        }
        if (mode.runs("ours")) {
            ours();
        }
        if (mode.runs("gds")) {
            GdsPipeline.writeLabelFeatures(db, graph, predictionFolds(graph), 5, graph.classCount());
            try (BoltCypher bolt = new BoltCypher(boltUri, "neo4j", password)) {
                out.put("gds", GdsPipeline.run(bolt, 5, graph.classCount(), mode.gds(), log).toMap());
                if (mode.runs("gdsLabelFeatures")) {
                    out.put("gdsLabelFeatures", GdsPipeline.run(bolt, 5, graph.classCount(), mode.gds().withLabelFeatures(), log)
                            .toMap());
                }
            }
        }
        if (mode.runs("explain")) {
            explain();
        }
        if (mode.runs("regionStudy")) {
            regionStudy(graph);
        }
        if (mode.runs("explainEvaluate")) {
            explainEvaluate();
        }
        if (mode.runs("friendStudy")) {
            friendStudy(graph);
        }
        if (mode.runs("scale")) {
            out.put("scale", new ScaleSeries(scaleDir, dataDir, log).run(mode));
        }
        return out;
    }

    /** Each user's fold in our run ({@code predictionFold}, written by it), by user index. */
    private int[] predictionFolds(GraphSnapshot graph) {
        int[] fold = new int[graph.userCount()];
        java.util.Arrays.fill(fold, -1);
        db.executeTransactionally("MATCH (u:User) RETURN u.id AS id, coalesce(u.predictionFold, -1) AS fold", Map.of(),
                r -> {
                    r.forEachRemaining(row -> fold[graph.indexOf(((Number) row.get("id")).longValue())] =
                            ((Number) row.get("fold")).intValue());
                    return null;
                });
        return fold;
    }

    /** lastfm.load with the synthetic likes: a warm-up load, then the likes deleted and loaded again. */
    private void load() {
        List<Double> rates = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        long relationships = 0;
        for (int i = 0; i <= mode.loadRepetitions(); i++) { // with no repetitions, the one load is the figure
            if (i > 0) {
                db.executeTransactionally("MATCH (:User)-[r:LIKES|FRIEND]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 50000 ROWS");
            }
            Map<String, Object> load = db.executeTransactionally("CALL lastfm.load({features: 'synthetic'})", Map.of(),
                    r -> r.next());
            relationships = ((Number) load.get("friendships")).longValue() + ((Number) load.get("likes")).longValue();
            log.accept(String.format("load %d/%d: %,d relationships in %,d ms%s", i, mode.loadRepetitions(), relationships,
                    load.get("loadMillis"), i == 0 && mode.loadRepetitions() > 0 ? " (warm-up)" : ""));
            if (i > 0 || mode.loadRepetitions() == 0) {
                rates.add(((Number) load.get("relationshipsPerSecond")).doubleValue());
                millis.add(((Number) load.get("loadMillis")).longValue());
            }
        }
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("relationships", relationships);
        load.put("relationshipsPerSecond", median(rates.stream().mapToDouble(Double::doubleValue).toArray()));
        load.put("loadMillis", median(millis.stream().mapToDouble(Long::doubleValue).toArray()));
        load.put("repetitions", rates.size());
        load.put("likes", "synthetic");
        out.put("load", load);
    }

    /**
     * The first load into an empty store, through Neo4j's offline importer as the launcher does it
     * ({@link EmptyStoreImport}): into throw-away homes, the first in this JVM reported apart (the importer's classes
     * and JIT are cold there, as in the launcher), then the median of the repetitions after it.
     */
    private void bulkImport(Path scratch, Path dataDir) throws java.io.IOException {
        LastFmDataset data = DatasetReader.read(dataDir, dataDir.resolve(DatasetFiles.SYNTHETIC_FEATURES),
                FeatureSource.SYNTHETIC);
        List<Double> rates = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        int repetitions = Math.max(2, mode.loadRepetitions()); // a few seconds each: a median in every mode
        for (int i = 0; i <= repetitions; i++) {
            Path home = scratch.resolve("import-" + i);
            EmptyStoreImport importer = new EmptyStoreImport(home);
            if (!importer.prepare()) {
                throw new IllegalStateException(home + " is not empty");
            }
            EmptyStoreImport.Result r = importer.run(data, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            log.accept(String.format("bulk import %d/%d: %,d relationships in %,d ms%s", i, repetitions,
                    r.relationships(), r.millis(), i == 0 ? " (first in this JVM)" : ""));
            if (i == 0) {
                result.put("relationships", r.relationships());
                result.put("firstMillis", r.millis());
                result.put("firstRelationshipsPerSecond", r.relationshipsPerSecond());
            } else {
                rates.add(r.relationshipsPerSecond());
                millis.add(r.millis());
            }
            Folders.deleteTree(home);
        }
        if (!rates.isEmpty()) {
            result.put("relationshipsPerSecond", median(rates.stream().mapToDouble(Double::doubleValue).toArray()));
            result.put("importMillis", median(millis.stream().mapToDouble(Long::doubleValue).toArray()));
            result.put("repetitions", rates.size());
        }
        out.put("bulkImport", result);
    }

    private GraphSnapshot export() {
        GraphSnapshot[] graph = new GraphSnapshot[1];
        out.put("exportMillis", timed(mode.repetitions(), () -> {
            try (Transaction tx = db.beginTx()) {
                graph[0] = GraphExporter.export(tx, null, true);
            }
        }));
        out.put("exportMillisWithoutLikes", timed(mode.repetitions(), () -> {
            try (Transaction tx = db.beginTx()) {
                GraphExporter.export(tx, null, false);
            }
        }));
        log.accept(String.format("export: %.0f ms (%.0f ms without likes)", out.get("exportMillis"),
                out.get("exportMillisWithoutLikes")));
        return graph[0];
    }

    /**
     * The writers that train and recommend use: region predictions on every user (6 properties each) and 20
     * RECOMMENDED relationships per user (3 properties each), batched as in a run.
     */
    private void writeBack(GraphSnapshot graph) {
        int n = graph.userCount();
        int classes = graph.classCount();
        Random random = new Random(SEED);
        int[] predicted = new int[n];
        float[] probabilities = new float[n * classes];
        int[] fold = new int[n];
        for (int u = 0; u < n; u++) {
            predicted[u] = random.nextInt(classes);
            probabilities[u * classes + predicted[u]] = 1;
        }
        double nodeMillis = timed(mode.repetitions(), () -> RegionPredictionWriter.write(db, graph.nodeIds(), null,
                predicted, probabilities, fold, classes, "bench", "bench-run", 10_000, () -> { }));
        int[][] recommended = new int[n][20];
        float[][] scores = new float[n][20];
        for (int u = 0; u < n; u++) {
            for (int r = 0; r < 20; r++) {
                recommended[u][r] = random.nextInt(graph.artistCount());
                scores[u][r] = 1f / (r + 1);
            }
        }
        double relationshipMillis = timedAfter(mode.repetitions(),
                () -> db.executeTransactionally("MATCH ()-[r:RECOMMENDED {model: 'bench'}]->() CALL { WITH r DELETE r }"
                        + " IN TRANSACTIONS OF 50000 ROWS"),
                () -> RecommendationWriter.write(db, graph.nodeIds(), graph.artistNodeIds(), recommended, scores, "bench", 10_000));
        db.executeTransactionally("MATCH ()-[r:RECOMMENDED {model: 'bench'}]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 50000 ROWS");
        Map<String, Object> write = new LinkedHashMap<>();
        write.put("nodePropertiesPerSecond", 1000.0 * n * RegionPredictionWriter.PROPERTIES_PER_USER / nodeMillis);
        write.put("nodePropertiesMillis", nodeMillis);
        write.put("relationshipsPerSecond", 1000.0 * n * 20 / relationshipMillis);
        write.put("relationshipsMillis", relationshipMillis);
        out.put("writeBack", write);
        log.accept(String.format("write-back: %,.0f node properties/s, %,.0f relationships/s (3 properties each)",
                write.get("nodePropertiesPerSecond"), write.get("relationshipsPerSecond")));
    }

    /**
     * Epoch times of the three models without and with the likes as inputs, and each one's compute floor, from the
     * machine's rates measured before and after the epochs, each product at the faster of the two (a floor is the
     * least time seen: on a machine whose speed wanders, a floor measured once may be a slow moment's).
     */
    private void epochs(GraphSnapshot graph) {
        int hiddenWidth = TrainConfig.defaults(RegionFamily.GCN).hiddenSize()[0];
        Device device = Engines.device(epochDevice);
        out.put("epochDevice", device.toString());
        int[] widths = {hiddenWidth, graph.classCount(), 1};
        List<RegionFamily> families = List.of(RegionFamily.GCN, RegionFamily.GAT, RegionFamily.LABEL_FEATURE_MLP);
        ComputeFloor.Rates before = ComputeFloor.measure(graph, device, hiddenWidth, widths);
        double[][] epochMillis = new double[2][families.size()]; // [without, with the likes][family]
        for (int likes = 0; likes < 2; likes++) {
            for (int f = 0; f < families.size(); f++) {
                epochMillis[likes][f] = EpochTimer.medianEpochMillis(graph, device, families.get(f), likes == 1,
                        mode.warmUpEpochs(), mode.measuredEpochs(), SEED);
            }
        }
        ComputeFloor.Rates rates = before.fastest(ComputeFloor.measure(graph, device, hiddenWidth, widths));
        out.put("denseGflops", rates.denseFlopsPerSecond() / 1e9);
        Map<String, Object> sparseRates = new LinkedHashMap<>();
        rates.sparseFlopsPerSecond().forEach((matrix, byWidth) -> byWidth.forEach((width, rate) ->
                sparseRates.put(matrix.name().toLowerCase(Locale.ROOT) + "@" + width, rate / 1e9)));
        out.put("sparseGflops", sparseRates);
        long propagation = graph.friends().length + (long) graph.userCount();
        int dense = RegionNetwork.bodyInputWidth(true, graph.classCount(), 2);
        for (int likes = 0; likes < 2; likes++) {
            boolean artists = likes == 1;
            String suffix = artists ? "Artists" : "";
            for (int f = 0; f < families.size(); f++) {
                RegionFamily family = families.get(f);
                String name = family.label();
                double millis = epochMillis[likes][f];
                HyperParameters hp = TrainConfig.defaults(family);
                int hidden = hp.hiddenSize()[0] * (family == RegionFamily.GAT ? hp.heads() : 1);
                double floor = ComputeFloor.epochWork(family.body().label(), true, graph.userCount(), dense, hidden,
                        graph.classCount(), propagation, artists ? graph.likes().length : 0).floorMillis(rates);
                out.put(name + "EpochMillis" + suffix, millis);
                out.put(name + "FloorMillis" + suffix, floor);
                log.accept(String.format("%s epoch%s: %.1f ms (floor %.1f ms)", name.toUpperCase(), artists
                        ? " with " + graph.likes().length + " synthetic likes as inputs" : "", millis, floor));
            }
        }
    }

    /** The default region run: 5-fold GCN with its baselines, written (its folds are the ones GDS gets). */
    @SuppressWarnings("unchecked")
    private void ours() {
        Map<String, Object> run = db.executeTransactionally(
                "CALL lastfm.gnn.train({model: 'gcn', folds: 5, randomSeed: $seed, mlpBaseline: false})",
                Map.of("seed", SEED), r -> r.next());
        Map<String, Object> ours = new LinkedHashMap<>();
        for (String key : new String[] {"model", "folds", "accuracyMean", "accuracyStd", "macroF1Mean", "foldAccuracies",
            "inputs", "trainMillis", "exportMillis", "writeMillis", "epochMillis"}) {
            ours.put(key, run.get(key));
        }
        Map<String, Object> baselines = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) run.get("baselines")).forEach((k, v) -> baselines.put(k, v.get("accuracyMean")));
        ours.put("baselines", baselines);
        out.put("ours", ours);
        log.accept(String.format("ours (5-fold GCN): accuracy %.4f, macro-F1 %.4f, trained in %,d ms",
                run.get("accuracyMean"), run.get("macroF1Mean"), run.get("trainMillis")));
    }

    private void explain() {
        List<Map<String, Object>> rows = db.executeTransactionally("""
                MATCH (u:User) WHERE u.id % 761 = 3 WITH u ORDER BY u.id LIMIT $users
                CALL lastfm.explain(u.id, {modelName: 'gcn-region'}) YIELD explainMillis
                RETURN explainMillis""", Map.of("users", mode.explainUsers()), r -> r.stream().toList());
        double[] millis = rows.stream().mapToDouble(r -> ((Number) r.get("explainMillis")).doubleValue()).toArray();
        out.put("explainMillisPerUser", median(millis));
        out.put("explainUsers", millis.length);
        log.accept(String.format("explain: %.0f ms per user (median of %d, GCN, 100 epochs)", median(millis), millis.length));
    }

    /**
     * Every region family and baseline on the same rounds, for each reported fold seed (5-fold), then the 50/25/25
     * protocol (5 repetitions), then the GCN with Correct and Smooth's refinements on top: the tables of
     * BENCHMARKS.md, "Region".
     */
    private void regionStudy(GraphSnapshot graph) {
        Map<String, Object> region = new LinkedHashMap<>();
        List<RegionStudy.Line> folds = RegionStudy.run(graph, Map.of("model", "auto"), mode.seeds(), log);
        region.put("kFold", lines(folds));
        region.put("kFoldTable", RegionStudy.table(folds));
        List<RegionStudy.Line> split = RegionStudy.run(graph, Map.of("model", "auto", "split",
                Map.of("train", 0.5, "validation", 0.25, "test", 0.25, "repetitions", 5)), List.of(42L), log);
        region.put("split", lines(split));
        region.put("splitTable", RegionStudy.table(split));
        List<RegionStudy.Line> refined = RegionStudy.run(graph, Map.of("model", "gcn", "mlpBaseline", false,
                "correction", List.of(0, 0.5, 0.8, 0.9, 0.99), "smoothing", List.of(0, 0.5, 0.6, 0.7, 0.8, 0.9),
                "propagationSteps", List.of(10, 50)), mode.seeds(), log);
        region.put("seeds", mode.seeds());
        region.put("gcnWithRefinement", lines(refined));
        region.put("gcnWithRefinementTable", RegionStudy.table(refined));
        out.put("region", region);
        log.accept("\n" + region.get("kFoldTable") + "\n" + region.get("splitTable") + "\n" + region.get("gcnWithRefinementTable"));
    }

    /**
     * The friend evaluation ({@code lastfm.recommend.friends.evaluate}: 10% of the friendships hidden, no likes) with
     * GDS's link prediction pipeline scored on the same hidden friendships and negatives, for each reported seed
     * (BENCHMARKS.md, "Friends").
     */
    private void friendStudy(GraphSnapshot graph) {
        Map<String, Object> friends = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("| seed | negatives | method | AUC | Hits@10 | MRR | hidden friendships |\n|---|---|---|---|---|---|---|\n");
        try (BoltCypher bolt = new BoltCypher(boltUri, "neo4j", password)) {
            for (long seed : mode.seeds()) {
                GdsLinkPrediction gds = new GdsLinkPrediction(bolt, seed, FRIEND_PEER_SOURCES, log);
                org.lastfmgnn.training.FriendEvaluation.Result r;
                try (var progress = org.lastfmgnn.progress.ProgressTracker.start("friends, seed " + seed, 1, log)) {
                    r = org.lastfmgnn.training.FriendEvaluation.run(graph, 0.1, seed, Device.cpu(), List.of(gds), progress);
                }
                Map<String, Object> run = new LinkedHashMap<>();
                r.scores().forEach((kind, methods) -> {
                    Map<String, Object> byMethod = new LinkedHashMap<>();
                    methods.forEach((method, sc) -> {
                        byMethod.put(method, Map.of("auc", sc.auc(), "hitsAt10", sc.hitsAt10(), "mrr", sc.mrr()));
                        table.append(String.format("| %d | %s | %s | %.4f | %.4f | %.4f | %d |%n", seed, kind, method, sc.auc(),
                                sc.hitsAt10(), sc.mrr(), sc.count()));
                    });
                    run.put(kind, byMethod);
                });
                run.put("hiddenFriendships", r.hiddenFriendships());
                run.put("comparedFriendships", r.scores().get("twoHop").get("learned").count());
                run.put("twoHopCandidates", r.candidates());
                run.put("gdsPipeline", gds.runs());
                friends.put("seed" + seed, run);
                log.accept(table.toString());
            }
        }
        friends.put("table", table.toString());
        out.put("friends", friends);
    }

    private static List<Map<String, Object>> lines(List<RegionStudy.Line> lines) {
        return lines.stream().map(l -> Map.<String, Object>of("method", l.method(), "seed", l.seed(),
                "accuracies", java.util.Arrays.stream(l.accuracies()).boxed().toList(), "mean", l.mean())).toList();
    }

    /**
     * lastfm.explain.evaluate on the default GCN and on a GAT (attention is one of its explainers): every method,
     * every sparsity level, the same users (BENCHMARKS.md, "Explanations").
     */
    private void explainEvaluate() {
        Map<String, Object> explain = new LinkedHashMap<>();
        for (String model : List.of("gcn", "gat")) {
            db.executeTransactionally("CALL lastfm.gnn.train({model: $m, folds: 5, randomSeed: $seed, mlpBaseline: false})",
                    Map.of("m", model, "seed", SEED), r -> r.next());
            long start = System.nanoTime();
            List<Map<String, Object>> rows = db.executeTransactionally(
                    "CALL lastfm.explain.evaluate({modelName: $name, sample: $users, randomSeed: $seed})",
                    Map.of("name", model + "-region", "users", mode.explainUsers(), "seed", SEED), r -> r.stream().toList());
            explain.put(model, rows);
            explain.put(model + "Millis", (System.nanoTime() - start) / 1_000_000);
            // the whole table as soon as a model is done: the GCN's stands even if the GAT's is stopped
            log.accept("\nExplainers on the " + model.toUpperCase(java.util.Locale.ROOT) + ":\n\n" + BenchReport.fidelityTable(rows));
        }
        out.put("explainEvaluation", explain);
    }

    private static double timed(int repetitions, Runnable work) {
        return timedAfter(repetitions, () -> { }, work);
    }

    /** Median of {@code repetitions} timings of {@code work}, each after an untimed {@code setUp}; one warm-up first. */
    private static double timedAfter(int repetitions, Runnable setUp, Runnable work) {
        double[] millis = new double[repetitions];
        for (int i = -1; i < repetitions; i++) {
            setUp.run();
            long start = System.nanoTime();
            work.run();
            if (i >= 0) {
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return median(millis);
    }

    static double median(double[] values) {
        return EpochTimer.median(values);
    }
}

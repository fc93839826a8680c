package org.lastfmgnn.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;

/** The launcher's main job, run through the same procedures users call. */
final class Pipeline {
    /** The GAT's one evaluation split: a fold's shares (5 folds, 20% of the training users for validation). */
    static final String GAT_SPLIT = "{train: 0.64, validation: 0.16, test: 0.2, repetitions: 1}";
    private final GraphDatabaseService db;
    private final Report report;
    /** Each training's {@code device} ({@code $device} in their calls). */
    private final Map<String, Object> deviceParameter;
    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();

    /** @param device where the trainings run, one of {@code Engines.DEVICES} */
    Pipeline(GraphDatabaseService db, Report report, String device) {
        this.db = db;
        this.report = report;
        this.deviceParameter = Map.of("device", device);
    }

    /**
     * After the load, two lanes share the machine's cores: the region lane (the GAT for its attention and 1005's
     * explanation, then the default GCN) and the recommendation lane (artists, friends, then the explainers'
     * fidelity on the GAT, which balances the two). Each training runs
     * PyTorch on one thread (Launcher), so two at a time use both cores of a small machine; a training's figures
     * depend on its seed alone (Dropout, Gradients), not on what runs beside it. The GAT runs before the GCN in its
     * lane, so that the predictions left on the users are the GCN's, the model report.json's region section
     * describes. Each stage's line is printed and reported in the same order whatever finishes first.
     */
    void run(String features) {
        String featureSource = load(features);
        int lanes = Math.min(2, Runtime.getRuntime().availableProcessors());
        report.value("concurrentLanes", lanes);
        ExecutorService pool = Executors.newFixedThreadPool(lanes, runnable -> {
            Thread thread = new Thread(runnable, "lastfm-gnn-pipeline-lane");
            thread.setDaemon(true);
            return thread;
        });
        long t = System.nanoTime();
        try {
            CompletableFuture<Explained> gat = CompletableFuture.supplyAsync(this::gat, pool);
            CompletableFuture<Stage> region = gat.thenApplyAsync(done -> region(), pool);
            CompletableFuture<Stage> artists = featureSource.equals("none") ? null
                    : CompletableFuture.supplyAsync(() -> artists(featureSource), pool);
            CompletableFuture<Stage> friends = artists == null
                    ? CompletableFuture.supplyAsync(() -> friends(featureSource), pool)
                    : artists.thenApplyAsync(done -> friends(featureSource), pool);
            // the explainers' fidelity needs only the saved GAT: it ends the recommendation lane, the shorter one
            CompletableFuture<Stage> explain = friends.thenCombineAsync(gat, (done, explained) -> explain(explained), pool);
            for (CompletableFuture<Stage> stage : java.util.Arrays.asList(explain, region, artists, friends)) {
                if (stage != null) {
                    publish(join(stage));
                }
            }
            report.timing("lanesMillis", t); // the stages' wall time together: they overlap
        } finally {
            pool.shutdownNow();
        }
        System.out.println("Predictions on the users: gcn-region (predictedRegion, predictionRun); attention on the "
                + "friendships and 1005's INFLUENCES: gat-region");
    }

    /** What a stage leaves: its report.json section, its timings and its printed line(s). */
    private record Stage(String name, Map<String, Object> section, Map<String, Long> timings, String text) {
    }

    private void publish(Stage stage) {
        report.section(stage.name(), stage.section());
        sections.put(stage.name(), stage.section());
        stage.timings().forEach(report::millis);
        System.out.print(stage.text());
    }

    private static Stage join(CompletableFuture<Stage> stage) {
        try {
            return stage.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * A GAT for its attention (written on every friendship), then user 1005's served prediction explained with the
     * default explainer (written as INFLUENCES); the explainers' fidelity follows in the other lane
     * ({@link #explain}). What is served, explained and written (attention) is the GAT trained on all
     * labelled users after the evaluation, the same model whatever the evaluation; so the GAT is evaluated on one
     * split only, with no baselines (the GCN's run below measures them; the GAT's 5-fold accuracy is in the region
     * study, {@code --bench region}).
     */
    private Explained gat() {
        Map<String, Long> timings = new LinkedHashMap<>();
        long t = System.nanoTime();
        Map<String, Object> gat = db.executeTransactionally(
                "CALL lastfm.gnn.train({model: 'gat', split: " + GAT_SPLIT + ", baselines: false, device: $device})", deviceParameter,
                result -> result.next());
        timings.put("gatMillis", millisSince(t));
        t = System.nanoTime();
        Map<String, Object> e = db.executeTransactionally(
                "CALL lastfm.explain(1005, {modelName: 'gat-region', write: true})", Map.of(), result -> result.next());
        timings.put("explainMillis", millisSince(t));
        Map<String, Object> explain = new LinkedHashMap<>();
        explain.put("node", 1005);
        explain.put("model", "gat-region");
        explain.put("gatAccuracyMean", gat.get("accuracyMean"));
        explain.put("gatEvaluation", GAT_SPLIT);
        for (String key : new String[] {"method", "predictedRegion", "probability", "edges", "features", "fidelityPlus",
            "fidelityPlusRandom", "fidelityMinus", "predictionChanged", "sparsity", "subgraphEdges", "explainMillis"}) {
            explain.put(key, e.get(key));
        }
        return new Explained(gat, e, explain, timings);
    }

    /** The GAT's run and 1005's explanation, and the report section and timings they began. */
    private record Explained(Map<String, Object> gat, Map<String, Object> e, Map<String, Object> explain,
                             Map<String, Long> timings) {
    }

    /**
     * The explainers' fidelity on a sample of users against random edges (the same users for both), and the GAT's
     * global importances.
     */
    private Stage explain(Explained explained) {
        Map<String, Object> gat = explained.gat();
        Map<String, Object> e = explained.e();
        Map<String, Object> explain = explained.explain();
        Map<String, Long> timings = explained.timings();
        long t;
        t = System.nanoTime();
        List<Map<String, Object>> evaluation = db.executeTransactionally("""
                CALL lastfm.explain.evaluate({modelName: 'gat-region', sample: 20, methods: ['random', $method],
                                              sparsity: [1, 3, 10, 0.1, 0.2]})""",
                Map.of("method", e.get("method")), result -> result.stream().toList());
        timings.put("explainEvaluateMillis", millisSince(t));
        explain.put("evaluation", evaluation);
        List<Map<String, Object>> global = db.executeTransactionally(
                "CALL lastfm.explain.global({modelName: 'gat-region', sample: 20})",
                Map.of(), result -> result.stream().toList());
        explain.put("global", global);
        Map<String, Object> ours = row(evaluation, (String) e.get("method"), "top-10");
        Map<String, Object> random = row(evaluation, "random", "top-10");
        return new Stage("explain", explain, timings, String.format("Explain 1005 (GAT, accuracy %.4f on one 64/16/20 split, %s): predicted region %s (p %.3f), "
                        + "removing its top 10 edges drops p by %.4f (random edges %.4f); over %s users at top-10: characterization %.3f vs random %.3f "
                        + "(fid+ %.3f vs %.3f), %.0f ms per explanation%n",
                gat.get("accuracyMean"), e.get("method"), e.get("predictedRegion"), e.get("probability"),
                e.get("fidelityPlus"), e.get("fidelityPlusRandom"), ours.get("users"), ours.get("characterization"),
                random.get("characterization"), ours.get("fidelityPlus"), random.get("fidelityPlus"), ours.get("explainMillis")));
    }

    private static Map<String, Object> row(List<Map<String, Object>> rows, String method, String sparsity) {
        return rows.stream().filter(r -> r.get("method").equals(method) && r.get("sparsity").equals(sparsity)).findFirst()
                .orElseThrow();
    }

    /**
     * The link predictor of friend recommendation ({@code lastfm.gnn.train({task: 'friends'})}): evaluated on 10%
     * hidden friendships, against users two hops away, random users and every user, with no likes (the synthetic ones
     * would leak the hidden friendships), then trained on all friendships and saved; and 1005's suggestions from it.
     */
    @SuppressWarnings("unchecked")
    private Stage friends(String featureSource) {
        long t = System.nanoTime();
        Map<String, Object> trained = db.executeTransactionally("CALL lastfm.gnn.train({task: 'friends', device: $device}) "
                + "YIELD modelName, metrics, baselines RETURN modelName, metrics, baselines", deviceParameter, Result::next);
        long friendsMillis = millisSince(t);
        String modelName = (String) trained.get("modelName");
        Map<String, Object> metrics = (Map<String, Object>) trained.get("metrics");
        // one row per negatives and method, as lastfm.recommend.friends.evaluate streams them
        List<Map<String, Object>> evaluation = new java.util.ArrayList<>();
        for (Map<String, Object> byMethod : List.of(metrics, (Map<String, Object>) trained.get("baselines"))) {
            byMethod.forEach((method, value) -> {
                if (value instanceof Map<?, ?> kinds) {
                    kinds.forEach((negatives, scores) -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("negatives", negatives);
                        row.put("method", method);
                        row.putAll((Map<String, Object>) scores);
                        evaluation.add(row);
                    });
                }
            });
        }
        Map<String, Object> friends = new LinkedHashMap<>();
        friends.put("modelName", modelName);
        friends.put("evaluation", evaluation);
        friends.put("hiddenFriendships", metrics.get("hiddenFriendships"));
        friends.put("likesUsed", false);
        friends.put("suggestionsFor1005", db.executeTransactionally(
                "CALL lastfm.recommend.friends(1005, {k: 10, modelName: $model}) YIELD userId RETURN collect(userId) AS ids",
                Map.of("model", modelName), result -> result.next().get("ids")));
        Map<String, Object> learned = friendRow(evaluation, "twoHop", "learned");
        Map<String, Object> adamicAdar = friendRow(evaluation, "twoHop", "adamicAdar");
        Map<String, Object> resource = friendRow(evaluation, "twoHop", "resourceAllocation");
        String text = String.format("Friends (10%% hidden, no likes; against two-hop non-friends): learned AUC %.4f, Hits@10 %.4f, "
                        + "MRR %.4f; Adamic-Adar AUC %.4f, Hits@10 %.4f; resource allocation AUC %.4f%n",
                learned.get("auc"), learned.get("hitsAt10"), learned.get("mrr"), adamicAdar.get("auc"),
                adamicAdar.get("hitsAt10"), resource.get("auc"));
        text += String.format("Friends among all users (the served list, 500 hidden friendships): Hits@10 %.4f served by "
                        + "%s (friends of friends first), Adamic-Adar %.4f, hand-set score %.4f%n",
                friendRow(evaluation, "allUsers", "learnedTwoHopFirst").get("hitsAt10"), modelName,
                friendRow(evaluation, "allUsers", "adamicAdar").get("hitsAt10"),
                friendRow(evaluation, "allUsers", "handSet").get("hitsAt10"));
        return new Stage("friends", friends, Map.of("friendsMillis", friendsMillis), text);
    }

    private static Map<String, Object> friendRow(List<Map<String, Object>> rows, String negatives, String method) {
        return rows.stream().filter(r -> r.get("negatives").equals(negatives) && r.get("method").equals(method))
                .findFirst().orElseThrow();
    }

    /** report.html: the sections above as pictures. */
    @SuppressWarnings("unchecked")
    Path writePage(Path outDir) throws IOException {
        ReportPage page = new ReportPage(outDir);
        page.numbers("Dataset", sections.get("dataset"));
        page.foldAccuracies(sections.get("region"));
        Map<String, Object> explain = sections.get("explain");
        page.explanationGraph(1005, String.valueOf(explain.get("method")), (List<Map<String, Object>>) explain.get("edges"));
        page.fidelityCurves((List<Map<String, Object>>) explain.get("evaluation"));
        page.importanceBars("features-1005.png", "1005's own inputs",
                (List<Map<String, Object>>) explain.get("features"), "feature",
                "The explainer's score of each input 1005 has (its own region is what is predicted, so not an input).");
        List<Map<String, Object>> global = ((List<Map<String, Object>>) explain.get("global"));
        page.importanceBars("features-global.png", "Input features, over a sample of users",
                global.stream().filter(r -> r.get("kind").equals("feature")).limit(15).toList(), "name",
                "Mean importance of each own input over the sampled users who have it.");
        page.importanceBars("edge-types-global.png", "Edge types, over a sample of users",
                global.stream().filter(r -> r.get("kind").equals("edgeType")).toList(), "name",
                "Mean importance of message edges by where they go and whether the sender's region is the one predicted.");
        double[] attention = db.executeTransactionally(
                "MATCH ()-[r:FRIEND]->() WHERE r.attentionForward IS NOT NULL "
                        + "RETURN collect(r.attentionForward) + collect(r.attentionBackward) AS a",
                Map.of(), result -> ((List<Number>) result.next().get("a")).stream().mapToDouble(Number::doubleValue).toArray());
        page.attentionHistogram(attention);
        if (sections.containsKey("artists")) {
            page.artistBars(sections.get("artists"));
        }
        return page.write();
    }

    /** Returns where the likes came from. */
    private String load(String features) {
        long t = System.nanoTime();
        Map<String, Object> load = db.executeTransactionally(
                "CALL lastfm.load({features: $features})", Map.of("features", features),
                result -> result.next());
        report.timing("loadMillis", t);
        Map<String, Object> dataset = new LinkedHashMap<>();
        for (String key : new String[] {"users", "friendships", "artists", "likes", "featureSource"}) {
            dataset.put(key, load.get(key));
        }
        report.section("dataset", dataset);
        sections.put("dataset", dataset);
        report.section("load", load);
        if (((Number) load.get("relationshipsCreated")).longValue() == 0) {
            System.out.printf("lastfm.load: %,d users, %,d friendships, %,d artists, %,d likes (features: %s) validated "
                            + "against the graph in %,d ms, nothing missing%n", load.get("users"), load.get("friendships"),
                    load.get("artists"), load.get("likes"), load.get("featureSource"), load.get("loadMillis"));
        } else {
            System.out.printf("Loaded %,d users, %,d friendships, %,d artists, %,d likes (features: %s) in %,d ms, "
                            + "%,.0f relationships/s%n", load.get("users"), load.get("friendships"), load.get("artists"),
                    load.get("likes"), load.get("featureSource"), load.get("loadMillis"), load.get("relationshipsPerSecond"));
        }
        return (String) load.get("featureSource");
    }

    /** Artist recommendation, 5-fold, against popularity and friends' likes; recommendations written. */
    @SuppressWarnings("unchecked")
    private Stage artists(String featureSource) {
        long t = System.nanoTime();
        Map<String, Object> run = db.executeTransactionally("CALL lastfm.gnn.train({task: 'artists', model: 'gcn', device: $device})",
                deviceParameter, result -> result.next());
        long artistsMillis = millisSince(t);
        Map<String, Object> metrics = (Map<String, Object>) run.get("metrics");
        Map<String, Object> artists = new LinkedHashMap<>(metrics);
        artists.remove("baselines");
        artists.put("featureSource", featureSource);
        artists.put("model", run.get("model"));
        artists.put("baselines", run.get("baselines"));
        artists.put("recommendationsWritten", run.get("relationshipsWritten"));
        artists.put("epochMillis", run.get("epochMillis"));
        artists.put("trainMillis", run.get("trainMillis"));
        artists.put("writeMillis", run.get("writeMillis"));
        Map<String, Object> baselines = (Map<String, Object>) run.get("baselines");
        // the strongest baselines beside the model, then popularity for scale
        return new Stage("artists", artists, Map.of("artistsMillis", artistsMillis), String.format("Artists (%s likes, 5-fold, held-out users): NDCG@20 %.4f, precision@20 %.4f; tuned blend %s;"
                        + " kriging alone %s; popularity %s%n",
                featureSource.toUpperCase(java.util.Locale.ROOT), metrics.get("ndcgAt20"), metrics.get("precisionAt20"),
                ndcgAndPrecision(baselines, "blend"), ndcgAndPrecision(baselines, "socialKriging"),
                ndcgAndPrecision(baselines, "popularity")));
    }

    @SuppressWarnings("unchecked")
    private static String ndcgAndPrecision(Map<String, Object> baselines, String name) {
        Map<String, Object> b = (Map<String, Object>) baselines.get(name);
        return String.format(java.util.Locale.ROOT, "%.4f / %.4f", b.get("ndcgAt20"), b.get("precisionAt20"));
    }

    /**
     * The default region model (GCN, 5-fold CV), its baselines on the same folds (label propagation and Correct
     * and Smooth tuned on validation), predictions written.
     */
    @SuppressWarnings("unchecked")
    private Stage region() {
        long t = System.nanoTime();
        Map<String, Object> run = db.executeTransactionally("CALL lastfm.gnn.train({model: 'gcn', folds: 5, device: $device})",
                deviceParameter, result -> result.next());
        long regionMillis = millisSince(t);
        Map<String, Object> region = new LinkedHashMap<>();
        for (String key : new String[] {"modelName", "model", "folds", "accuracyMean", "accuracyStd", "macroF1Mean",
            "foldAccuracies", "bestConfig", "inputs", "featureSource", "epochMillis", "exportMillis", "trainMillis",
            "writeMillis", "nodePropertiesWritten"}) {
            region.put(key, run.get(key));
        }
        Map<String, Object> baselines = new LinkedHashMap<>();
        ((Map<String, Object>) run.get("baselines")).forEach((name, b) -> {
            Map<String, Object> summary = new LinkedHashMap<>((Map<String, Object>) b);
            baselines.put(name, summary);
        });
        region.put("baselines", baselines);
        return new Stage("region", region, Map.of("regionMillis", regionMillis), String.format("Region (5-fold CV, %s, inputs %s): accuracy %.4f +- %.4f, macro-F1 %.4f; baselines on the same folds: %s%n",
                run.get("model"), run.get("inputs"), run.get("accuracyMean"), run.get("accuracyStd"), run.get("macroF1Mean"),
                summarize(baselines)));
    }

    @SuppressWarnings("unchecked")
    private static String summarize(Map<String, Object> baselines) {
        StringBuilder out = new StringBuilder();
        baselines.forEach((name, b) -> out.append(out.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(String.format("%.4f", ((Number) ((Map<String, Object>) b).get("accuracyMean")).doubleValue())));
        return out.toString();
    }
}

package org.lastfmgnn.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.graphdb.GraphDatabaseService;

/** The launcher's main job, run through the same procedures users call. */
final class Pipeline {
    private final GraphDatabaseService db;
    private final Report report;
    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();

    Pipeline(GraphDatabaseService db, Report report) {
        this.db = db;
        this.report = report;
    }

    void run(String features) {
        String featureSource = load(features);
        region();
        if (!featureSource.equals("none")) {
            artists(featureSource);
        }
        friends(featureSource);
        explain();
    }

    /**
     * A GAT for its attention (written on every friendship), then GNNExplainer on user 1005 (written as
     * INFLUENCES) and, for fidelity, on a sample of users (not written).
     */
    @SuppressWarnings("unchecked")
    private void explain() {
        long t = System.nanoTime();
        Map<String, Object> gat = db.executeTransactionally(
                "CALL lastfm.gnn.train({model: 'gat', folds: 5, mlpBaseline: false})", Map.of(), result -> result.next());
        report.timing("gatMillis", t);
        t = System.nanoTime();
        Map<String, Object> e = db.executeTransactionally(
                "CALL lastfm.explain(1005, {modelName: 'gat-region', write: true})", Map.of(), result -> result.next());
        report.timing("explainMillis", t);
        Map<String, Object> explain = new LinkedHashMap<>();
        explain.put("node", 1005);
        explain.put("model", "gat-region");
        explain.put("gatAccuracyMean", gat.get("accuracyMean"));
        explain.put("predictedRegion", e.get("predictedRegion"));
        explain.put("probability", e.get("probability"));
        explain.put("edges", e.get("edges"));
        explain.put("features", e.get("features"));
        explain.put("fidelityPlus", e.get("fidelityPlus"));
        explain.put("fidelityPlusRandom", e.get("fidelityPlusRandom"));
        explain.put("fidelityMinus", e.get("fidelityMinus"));
        explain.put("sparsity", e.get("sparsity"));
        explain.put("explainMillis", e.get("explainMillis"));
        Map<String, Object> sample = db.executeTransactionally("""
                MATCH (u:User) WHERE u.id % 761 = 3 WITH u ORDER BY u.id LIMIT 10
                CALL lastfm.explain(u.id, {modelName: 'gat-region', epochs: 50})
                YIELD fidelityPlus, fidelityPlusRandom, explainMillis
                RETURN count(*) AS users, avg(fidelityPlus) AS fidelityPlus, avg(fidelityPlusRandom) AS fidelityPlusRandom,
                       avg(explainMillis) AS explainMillis""", Map.of(), result -> result.next());
        explain.put("sample", sample);
        List<Map<String, Object>> global = db.executeTransactionally(
                "CALL lastfm.explain.global({modelName: 'gat-region', sample: 20, epochs: 30})",
                Map.of(), result -> result.stream().toList());
        explain.put("global", global);
        report.section("explain", explain);
        sections.put("explain", explain);
        System.out.printf("Explain 1005 (GAT, accuracy %.4f): predicted region %s (p %.3f), fidelity+ %.4f vs random %.4f; "
                        + "over %s users: fidelity+ %.4f vs random %.4f, %.0f ms per user%n",
                gat.get("accuracyMean"), e.get("predictedRegion"), e.get("probability"), e.get("fidelityPlus"),
                e.get("fidelityPlusRandom"), sample.get("users"), sample.get("fidelityPlus"), sample.get("fidelityPlusRandom"),
                sample.get("explainMillis"));
    }

    /** Friend recommendation on 10% hidden friendships, against Adamic-Adar; and 1005's suggestions. */
    private void friends(String featureSource) {
        long t = System.nanoTime();
        Map<String, Object> evaluation = db.executeTransactionally("CALL lastfm.recommend.friends.evaluate({holdout: 0.1})",
                Map.of(), result -> result.next());
        report.timing("friendsMillis", t);
        Map<String, Object> friends = new LinkedHashMap<>(evaluation);
        friends.put("featureSource", featureSource);
        friends.put("suggestionsFor1005", db.executeTransactionally(
                "CALL lastfm.recommend.friends(1005, {k: 10}) YIELD userId RETURN collect(userId) AS ids",
                Map.of(), result -> result.next().get("ids")));
        report.section("friends", friends);
        System.out.printf("Friends (10%% hidden): AUC %.4f, Hits@10 %.4f; Adamic-Adar AUC %.4f, Hits@10 %.4f%n",
                evaluation.get("auc"), evaluation.get("hitsAt10"), evaluation.get("aucAdamicAdar"),
                evaluation.get("hitsAt10AdamicAdar"));
    }

    /** report.html: the sections above as pictures. */
    @SuppressWarnings("unchecked")
    Path writePage(Path outDir) throws IOException {
        ReportPage page = new ReportPage(outDir);
        page.numbers("Dataset", sections.get("dataset"));
        page.foldAccuracies(sections.get("region"));
        Map<String, Object> explain = sections.get("explain");
        page.explanationGraph(1005, (List<Map<String, Object>>) explain.get("edges"));
        page.importanceBars("features-1005.png", "Input features behind 1005's prediction",
                (List<Map<String, Object>>) explain.get("features"), "feature",
                "GNNExplainer's feature mask for user 1005 (top features).");
        List<Map<String, Object>> global = ((List<Map<String, Object>>) explain.get("global"));
        page.importanceBars("features-global.png", "Input features, over a sample of users",
                global.stream().filter(r -> r.get("kind").equals("feature")).limit(15).toList(), "name",
                "Mean feature importance over " + global.get(0).get("users") + " sampled users.");
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
        System.out.printf("Loaded %,d users, %,d friendships, %,d artists, %,d likes (features: %s) in %,d ms, %,.0f relationships/s%n",
                load.get("users"), load.get("friendships"), load.get("artists"), load.get("likes"),
                load.get("featureSource"), load.get("loadMillis"), load.get("relationshipsPerSecond"));
        return (String) load.get("featureSource");
    }

    /** Artist recommendation, 5-fold, against popularity and friends' likes; recommendations written. */
    @SuppressWarnings("unchecked")
    private void artists(String featureSource) {
        long t = System.nanoTime();
        Map<String, Object> run = db.executeTransactionally("CALL lastfm.gnn.train({task: 'artists', model: 'gcn'})",
                Map.of(), result -> result.next());
        report.timing("artistsMillis", t);
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
        report.section("artists", artists);
        sections.put("artists", artists);
        Map<String, Object> baselines = (Map<String, Object>) run.get("baselines");
        System.out.printf("Artists (%s likes, 5-fold, held-out users): NDCG@20 %.4f, precision@20 %.4f; popularity %.4f / %.4f; friends %.4f / %.4f%n",
                featureSource.toUpperCase(java.util.Locale.ROOT), metrics.get("ndcgAt20"), metrics.get("precisionAt20"),
                ((Map<String, Object>) baselines.get("popularity")).get("ndcgAt20"),
                ((Map<String, Object>) baselines.get("popularity")).get("precisionAt20"),
                ((Map<String, Object>) baselines.get("friends")).get("ndcgAt20"),
                ((Map<String, Object>) baselines.get("friends")).get("precisionAt20"));
    }

    /** The default region model (GCN, 5-fold CV), its baselines on the same folds, predictions written. */
    @SuppressWarnings("unchecked")
    private void region() {
        long t = System.nanoTime();
        Map<String, Object> run = db.executeTransactionally("CALL lastfm.gnn.train({model: 'gcn', folds: 5})",
                Map.of(), result -> result.next());
        report.timing("regionMillis", t);
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
        report.section("region", region);
        sections.put("region", region);
        System.out.printf("Region (5-fold CV, %s, inputs %s): accuracy %.4f +- %.4f, macro-F1 %.4f; baselines on the same folds: %s%n",
                run.get("model"), run.get("inputs"), run.get("accuracyMean"), run.get("accuracyStd"), run.get("macroF1Mean"),
                summarize(baselines));
    }

    @SuppressWarnings("unchecked")
    private static String summarize(Map<String, Object> baselines) {
        StringBuilder out = new StringBuilder();
        baselines.forEach((name, b) -> out.append(out.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(String.format("%.4f", ((Number) ((Map<String, Object>) b).get("accuracyMean")).doubleValue())));
        return out.toString();
    }
}

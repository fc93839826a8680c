package org.lastfmgnn.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lastfmgnn.training.Metrics;

/**
 * The peer: GDS's node classification pipeline, with its own autotuning over logistic regression, random forest
 * and MLP, on node embeddings (node2vec, and FastRP as the pipeline's own node-property step), trained and tested
 * on the folds of our run (each user's {@code predictionFold}). node2vec is label-free, so it is computed once on
 * the whole graph and its time is added to GDS's training time; as a node-property step it would be recomputed
 * (the same work) per fold. With {@code labelFeatures} the pipeline also reads, per fold, the neighbourhood label
 * features our models read, from that fold's training labels only ({@link NeighbourLabelFeatures}), written as
 * node properties {@code benchLabels<fold>} of the bench's own store: GDS then gets what our models get.
 */
public final class GdsPipeline {
    /** What the pipeline is given: the embedding step and the autotuning budget. */
    public record Settings(String embedding, int dimension, boolean searchRanges, int maxTrials, int validationFolds,
                           boolean tuneEveryFold, long randomSeed, boolean labelFeatures) {
        /**
         * {@code full}: random search over ranges of all three model types, autotuned again on every fold.
         * {@code quick}: one default candidate per type, autotuned on the first fold; the winner's parameters are
         * then the only candidate on the other folds (a third of the time, and said so in bench.json).
         */
        public static Settings of(String mode, long seed) {
            return mode.equals("full")
                    ? new Settings("node2vec", 128, true, 10, 3, true, seed, false)
                    : new Settings("node2vec", 128, false, 3, 2, false, seed, false);
        }

        /** The same budget, with the neighbourhood label features as inputs too. */
        public Settings withLabelFeatures() {
            return new Settings(embedding, dimension, searchRanges, maxTrials, validationFolds, tuneEveryFold, randomSeed, true);
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("embedding", embedding + " + fastRP (node-property step)");
            map.put("embeddingDimension", dimension);
            map.put("labelFeatures", labelFeatures ? "1-hop and 2-hop label distributions of each fold's training labels" : "none");
            map.put("candidates", searchRanges
                    ? List.of("LogisticRegression(penalty 1e-4..1)", "RandomForest(trees 50..150, maxFeaturesRatio 0.1..1)",
                            "MLP(hidden [64], penalty 0..1e-2)")
                    : List.of("LogisticRegression(penalty 1e-3)", "RandomForest(100 trees)", "MLP(hidden [64])"));
            map.put("tunedOn", tuneEveryFold ? "every fold" : "fold 1 (its winner trained on folds 2..k)");
            map.put("maxTrials", maxTrials);
            map.put("validationFolds", validationFolds);
            map.put("testFraction", TEST_FRACTION);
            map.put("randomSeed", randomSeed);
            return map;
        }
    }

    /** Per fold and over the folds; {@code trainMillis} includes the embedding's computation. */
    public record Result(double accuracyMean, double macroF1Mean, long trainMillis, long embeddingMillis,
                         List<Double> foldAccuracies, List<String> winners, Map<String, Object> config) {
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("accuracyMean", accuracyMean);
            map.put("macroF1Mean", macroF1Mean);
            map.put("trainMillis", trainMillis);
            map.put("embeddingMillis", embeddingMillis);
            map.put("foldAccuracies", foldAccuracies);
            map.put("winners", winners);
            map.put("config", config);
            return map;
        }
    }

    /** GDS holds out this share of the training users for its own test metric; its final model sees them all. */
    static final double TEST_FRACTION = 0.1;
    private static final String GRAPH = "lastfm-bench";

    private GdsPipeline() {
    }

    /**
     * Writes each fold's neighbourhood label features as {@code benchLabels<f>} on the users (the bench's store),
     * from the training labels of that fold; {@code graph} must hold the users' {@code predictionFold}.
     */
    public static void writeLabelFeatures(org.neo4j.graphdb.GraphDatabaseService db, org.lastfmgnn.graph.GraphSnapshot graph,
                                          int[] fold, int folds, int classes) {
        for (int f = 0; f < folds; f++) {
            boolean[] train = new boolean[fold.length];
            for (int u = 0; u < fold.length; u++) {
                train[u] = fold[u] >= 0 && fold[u] != f;
            }
            float[][] features = NeighbourLabelFeatures.of(graph, graph.regions(), train, classes);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int u = 0; u < features.length; u++) {
                rows.add(Map.of("id", graph.userIds()[u], "x", features[u]));
            }
            db.executeTransactionally("UNWIND $rows AS row MATCH (u:User {id: row.id}) SET u[$key] = row.x",
                    Map.of("rows", rows, "key", "benchLabels" + f));
        }
    }

    @SuppressWarnings("unchecked")
    public static Result run(BoltCypher db, int folds, int classes, Settings settings, Consumer<String> log) {
        cleanUp(db, folds);
        try {
            List<String> properties = new ArrayList<>(List.of("region", "predictionFold"));
            if (settings.labelFeatures()) {
                for (int f = 0; f < folds; f++) {
                    properties.add("benchLabels" + f);
                }
            }
            db.run("CALL gds.graph.project($graph, {User: {properties: $properties}},"
                    + " {FRIEND: {orientation: 'UNDIRECTED'}})", Map.of("graph", GRAPH, "properties", properties));
            long start = System.nanoTime();
            db.run("CALL gds." + settings.embedding() + ".mutate($graph, {embeddingDimension: $dimension,"
                    + " randomSeed: $seed, mutateProperty: 'embedding'})",
                    Map.of("graph", GRAPH, "dimension", settings.dimension(), "seed", settings.randomSeed()));
            long embeddingMillis = (System.nanoTime() - start) / 1_000_000;
            log.accept(String.format("GDS %s (%d dims): %,d ms", settings.embedding(), settings.dimension(), embeddingMillis));
            long trainMillis = embeddingMillis;
            Map<String, Object> winner0 = null;
            List<Double> accuracies = new ArrayList<>();
            List<Double> f1s = new ArrayList<>();
            List<String> winners = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                label(db, "Train" + f, "n.predictionFold <> " + f + " AND n.predictionFold >= 0");
                label(db, "Test" + f, "n.predictionFold = " + f);
                long t = System.nanoTime();
                db.run("CALL gds.pipeline.drop($p, false)", Map.of("p", GRAPH));
                createPipeline(db, settings, settings.labelFeatures() ? "benchLabels" + f : null,
                        f > 0 && !settings.tuneEveryFold() ? winner0 : null);
                Map<String, Object> best = (Map<String, Object>) db.run("""
                        CALL gds.beta.pipeline.nodeClassification.train($graph, {pipeline: $pipeline, modelName: $model,
                          targetNodeLabels: [$train], targetProperty: 'region', metrics: ['ACCURACY'], randomSeed: $seed})
                        YIELD modelInfo RETURN modelInfo.bestParameters AS best""",
                        Map.of("graph", GRAPH, "pipeline", GRAPH, "model", GRAPH + "-" + f, "train", "Train" + f,
                                "seed", settings.randomSeed())).get(0).get("best");
                String winner = String.valueOf(best.get("methodName"));
                if (f == 0) {
                    winner0 = best;
                }
                long foldMillis = (System.nanoTime() - t) / 1_000_000;
                trainMillis += foldMillis;
                int[][] predictedAndTrue = predict(db, f);
                // openGDS keeps at most 3 models in its catalog
                db.run("CALL gds.model.drop($model)", Map.of("model", GRAPH + "-" + f));
                int[] users = new int[predictedAndTrue[0].length];
                for (int i = 0; i < users.length; i++) {
                    users[i] = i;
                }
                double accuracy = Metrics.accuracy(predictedAndTrue[0], predictedAndTrue[1], users);
                accuracies.add(accuracy);
                f1s.add(Metrics.macroF1(predictedAndTrue[0], predictedAndTrue[1], users, classes));
                winners.add(winner);
                log.accept(String.format("GDS fold %d/%d: accuracy %.4f (%s won autotuning), %,d ms", f + 1, folds, accuracy,
                        winner, foldMillis));
            }
            return new Result(Metrics.mean(doubles(accuracies)), Metrics.mean(doubles(f1s)), trainMillis, embeddingMillis, accuracies, winners, settings.toMap());
        } finally {
            cleanUp(db, folds);
        }
    }

    /**
     * The pipeline with the settings' candidates, or with {@code only} (a winner's parameters) as the one candidate;
     * its features: node2vec, FastRP (a node-property step of its own) and the fold's label features if any.
     */
    private static void createPipeline(BoltCypher db, Settings s, String labelFeatures, Map<String, Object> only) {
        Map<String, Object> p = Map.of("p", GRAPH);
        db.run("CALL gds.beta.pipeline.nodeClassification.create($p)", p);
        db.run("CALL gds.beta.pipeline.nodeClassification.addNodeProperty($p, 'fastRP', {embeddingDimension: 128,"
                + " randomSeed: $seed, mutateProperty: 'fastrp'})", Map.of("p", GRAPH, "seed", s.randomSeed()));
        List<String> features = new ArrayList<>(List.of("embedding", "fastrp"));
        if (labelFeatures != null) {
            features.add(labelFeatures);
        }
        db.run("CALL gds.beta.pipeline.nodeClassification.selectFeatures($p, $features)",
                Map.of("p", GRAPH, "features", features));
        db.run("CALL gds.beta.pipeline.nodeClassification.configureSplit($p, {testFraction: $test,"
                + " validationFolds: $folds})", Map.of("p", GRAPH, "test", TEST_FRACTION, "folds", s.validationFolds()));
        if (only != null) {
            Map<String, Object> config = new LinkedHashMap<>(only);
            String method = (String) config.remove("methodName");
            String procedure = switch (method) {
                case "LogisticRegression" -> "gds.beta.pipeline.nodeClassification.addLogisticRegression";
                case "RandomForest" -> "gds.beta.pipeline.nodeClassification.addRandomForest";
                default -> "gds.alpha.pipeline.nodeClassification.addMLP";
            };
            db.run("CALL " + procedure + "($p, $config)", Map.of("p", GRAPH, "config", config));
            return;
        }
        db.run("CALL gds.beta.pipeline.nodeClassification.addLogisticRegression($p, "
                + (s.searchRanges() ? "{penalty: {range: [1e-4, 1.0]}})" : "{penalty: 1e-3})"), p);
        db.run("CALL gds.beta.pipeline.nodeClassification.addRandomForest($p, "
                + (s.searchRanges() ? "{numberOfDecisionTrees: {range: [50, 150]}, maxFeaturesRatio: {range: [0.1, 1.0]}})"
                : "{numberOfDecisionTrees: 100})"), p);
        db.run("CALL gds.alpha.pipeline.nodeClassification.addMLP($p, "
                + (s.searchRanges() ? "{hiddenLayerSizes: [64], penalty: {range: [0.0, 0.01]}})" : "{hiddenLayerSizes: [64]})"), p);
        db.run("CALL gds.alpha.pipeline.nodeClassification.configureAutoTuning($p, {maxTrials: $trials})",
                Map.of("p", GRAPH, "trials", s.maxTrials()));
    }

    private static void label(BoltCypher db, String label, String filter) {
        db.run("CALL gds.alpha.graph.nodeLabel.mutate($graph, $label, {nodeFilter: $filter})",
                Map.of("graph", GRAPH, "label", label, "filter", filter));
    }

    /** [predicted, true region] of fold {@code f}'s test users. */
    private static int[][] predict(BoltCypher db, int f) {
        Map<String, Object> row = db.run("""
                CALL gds.beta.pipeline.nodeClassification.predict.stream($graph, {modelName: $model, targetNodeLabels: [$test]})
                YIELD nodeId, predictedClass
                RETURN collect(predictedClass) AS predicted, collect(gds.util.nodeProperty($graph, nodeId, 'region')) AS actual""",
                Map.of("graph", GRAPH, "model", GRAPH + "-" + f, "test", "Test" + f)).get(0);
        return new int[][] {ints((List<?>) row.get("predicted")), ints((List<?>) row.get("actual"))};
    }

    private static void cleanUp(BoltCypher db, int folds) {
        db.run("CALL gds.graph.drop($graph, false)", Map.of("graph", GRAPH));
        db.run("CALL gds.pipeline.drop($graph, false)", Map.of("graph", GRAPH));
        for (int f = 0; f < folds; f++) {
            db.run("CALL gds.model.drop($model, false)", Map.of("model", GRAPH + "-" + f));
        }
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int[] ints(List<?> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).intValue();
        }
        return out;
    }
}

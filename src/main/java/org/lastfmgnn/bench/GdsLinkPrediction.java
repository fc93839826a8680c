package org.lastfmgnn.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.training.FriendEvaluation;

/**
 * The friend evaluation's peer: GDS's link prediction pipeline, trained on the visible friendships only and asked
 * for the probability of exactly the pairs our methods rank. Its inputs are what the learned link predictor reads,
 * in GDS's own terms: FastRP embeddings and degrees (node-property steps of the pipeline), the users' regions as a
 * one-hot node property; link features: the Hadamard product of the embeddings and of the region vectors (the
 * same-region indicator), the cosine of the embeddings, the product of the degrees. GDS has no common-neighbour
 * link feature, so none is given. Autotuned over logistic regression, random forest and an MLP, GDS's own split
 * (a tenth of the visible friendships for its test metric, 30% as training examples, the rest as the feature
 * graph), random negatives as GDS samples them.
 * <p>GDS predicts for every pair of a source and a target label that is not yet a relationship, best first; to get
 * the given pairs, the sources are labelled in batches ({@code PeerSource<b>}) and each batch is asked for all of
 * its pairs ({@code topN} = sources x users), from which the requested ones are kept. The visible friendships are
 * written to the bench's own store as {@code FRIEND_VISIBLE} for the projection and deleted afterwards.
 */
final class GdsLinkPrediction implements FriendEvaluation.Peer {
    private static final String GRAPH = "lastfm-friends-peer";
    private static final int SOURCES_PER_BATCH = 250;
    /**
     * GDS scores every pair of a batch's sources with every user (about 1.9 million for 250 sources: 75 minutes
     * with its random forest on this machine, beside other work), 30 times the pairs the evaluation asks for: it
     * scores the hidden friendships of this many sources (in the evaluation's random order), and the others are
     * left out for every method.
     */
    private final int maxSources;

    private final BoltCypher db;
    private final long seed;
    private final Consumer<String> log;
    private final Map<String, Object> runs = new LinkedHashMap<>();

    GdsLinkPrediction(BoltCypher db, long seed, int maxSources, Consumer<String> log) {
        this.db = db;
        this.maxSources = maxSources;
        this.seed = seed;
        this.log = log;
    }

    @Override
    public String name() {
        return "gdsPipeline";
    }

    /** What each call trained: the autotuning's winner, GDS's own test AUCPR, times. */
    Map<String, Object> runs() {
        return runs;
    }

    @Override
    public double[] score(GraphSnapshot visible, int[] us, int[] vs) {
        cleanUp();
        try {
            long start = System.nanoTime();
            List<List<Integer>> batches = sourceBatches(us, maxSources);
            writeVisible(visible, batches);
            db.run("CALL gds.graph.project($g, {User: {properties: {regionVector: {}, peerSource: {defaultValue: -1}}}},"
                    + " {FRIEND_VISIBLE: {orientation: 'UNDIRECTED'}})", Map.of("g", GRAPH));
            createPipeline();
            Map<String, Object> trained = db.run("""
                    CALL gds.beta.pipeline.linkPrediction.train($g, {pipeline: $g, modelName: $g,
                      targetRelationshipType: 'FRIEND_VISIBLE', sourceNodeLabel: 'User', targetNodeLabel: 'User',
                      metrics: ['AUCPR'], randomSeed: $seed})
                    YIELD modelInfo
                    RETURN modelInfo.bestParameters AS best, modelInfo.metrics.AUCPR.test AS testAucpr""",
                    Map.of("g", GRAPH, "seed", seed)).get(0);
            long trainMillis = (System.nanoTime() - start) / 1_000_000;
            log.accept(String.format("GDS link prediction: %s won, its own test AUCPR %.4f, %,d ms",
                    ((Map<?, ?>) trained.get("best")).get("methodName"), ((Number) trained.get("testAucpr")).doubleValue(), trainMillis));
            start = System.nanoTime();
            double[] scores = predict(visible, batches, us, vs);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("sourcesScored", batches.stream().mapToInt(List::size).sum());
            run.put("winner", trained.get("best"));
            run.put("testAucpr", trained.get("testAucpr"));
            run.put("trainMillis", trainMillis);
            run.put("predictMillis", (System.nanoTime() - start) / 1_000_000);
            runs.put("run" + (runs.size() + 1), run);
            return scores;
        } finally {
            cleanUp();
        }
    }

    private static List<List<Integer>> sourceBatches(int[] us, int maxSources) {
        List<Integer> sources = new ArrayList<>(new LinkedHashSet<>(java.util.Arrays.stream(us).boxed().toList()));
        sources = sources.subList(0, Math.min(sources.size(), maxSources));
        List<List<Integer>> batches = new ArrayList<>();
        for (int from = 0; from < sources.size(); from += SOURCES_PER_BATCH) {
            batches.add(sources.subList(from, Math.min(sources.size(), from + SOURCES_PER_BATCH)));
        }
        return batches;
    }

    /** The visible friendships, the region vectors and each source's batch, on the bench's own store. */
    private void writeVisible(GraphSnapshot g, List<List<Integer>> batches) {
        int classes = g.classCount();
        List<Map<String, Object>> users = new ArrayList<>(g.userCount());
        for (int u = 0; u < g.userCount(); u++) {
            double[] region = new double[classes];
            if (g.regions()[u] >= 0) {
                region[g.regions()[u]] = 1;
            }
            users.add(Map.of("id", g.userIds()[u], "region", region));
        }
        db.run("UNWIND $users AS row MATCH (u:User {id: row.id}) SET u.regionVector = row.region", Map.of("users", users));
        for (int b = 0; b < batches.size(); b++) {
            List<Long> ids = batches.get(b).stream().map(u -> g.userIds()[u]).toList();
            db.run("MATCH (u:User) WHERE u.id IN $ids SET u.peerSource = $batch", Map.of("ids", ids, "batch", b));
        }
        List<List<Long>> pairs = new ArrayList<>();
        for (int u = 0; u < g.userCount(); u++) {
            for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
                int v = g.friends()[e];
                if (u < v) {
                    pairs.add(List.of(g.userIds()[u], g.userIds()[v]));
                }
            }
        }
        for (int from = 0; from < pairs.size(); from += 10_000) {
            db.run("UNWIND $pairs AS p MATCH (a:User {id: p[0]}), (b:User {id: p[1]}) CREATE (a)-[:FRIEND_VISIBLE]->(b)",
                    Map.of("pairs", pairs.subList(from, Math.min(pairs.size(), from + 10_000))));
        }
    }

    private void createPipeline() {
        Map<String, Object> p = Map.of("p", GRAPH);
        db.run("CALL gds.beta.pipeline.linkPrediction.create($p)", p);
        db.run("CALL gds.beta.pipeline.linkPrediction.addNodeProperty($p, 'fastRP', {embeddingDimension: 128,"
                + " randomSeed: $seed, mutateProperty: 'fastrp'})", Map.of("p", GRAPH, "seed", seed));
        db.run("CALL gds.beta.pipeline.linkPrediction.addNodeProperty($p, 'degree', {mutateProperty: 'degree'})", p);
        db.run("CALL gds.beta.pipeline.linkPrediction.addFeature($p, 'hadamard', {nodeProperties: ['fastrp', 'regionVector']})", p);
        db.run("CALL gds.beta.pipeline.linkPrediction.addFeature($p, 'cosine', {nodeProperties: ['fastrp']})", p);
        db.run("CALL gds.beta.pipeline.linkPrediction.addFeature($p, 'hadamard', {nodeProperties: ['degree']})", p);
        db.run("CALL gds.beta.pipeline.linkPrediction.configureSplit($p, {testFraction: 0.1, trainFraction: 0.3,"
                + " validationFolds: 3})", p);
        db.run("CALL gds.beta.pipeline.linkPrediction.addLogisticRegression($p, {penalty: 1e-3})", p);
        db.run("CALL gds.beta.pipeline.linkPrediction.addRandomForest($p, {numberOfDecisionTrees: 100})", p);
        db.run("CALL gds.alpha.pipeline.linkPrediction.addMLP($p, {hiddenLayerSizes: [64]})", p);
        db.run("CALL gds.alpha.pipeline.linkPrediction.configureAutoTuning($p, {maxTrials: 3})", p);
    }

    /**
     * The model's probability of each pair, asked for in batches of source users. For each pair of a source and a
     * target GDS scores the pair once, from its smaller node id (the graph is undirected), so one call per batch
     * of sources covers every pair that starts at one of them.
     */
    private double[] predict(GraphSnapshot g, List<List<Integer>> batches, int[] us, int[] vs) {
        Map<Long, Integer> indexOfNode = new HashMap<>();
        for (Map<String, Object> row : db.run("MATCH (u:User) RETURN id(u) AS node, u.id AS id", Map.of())) {
            indexOfNode.put(((Number) row.get("node")).longValue(), g.indexOf(((Number) row.get("id")).longValue()));
        }
        Map<Long, Double> probability = new HashMap<>();
        for (int i = 0; i < us.length; i++) {
            probability.put(Snapshots.pairKey(us[i], vs[i]), Double.NaN);
        }
        for (int batch = 0; batch < batches.size(); batch++) {
            String label = "PeerSource" + batch;
            db.run("CALL gds.alpha.graph.nodeLabel.mutate($g, $label, {nodeFilter: $filter})",
                    Map.of("g", GRAPH, "label", label, "filter", "n.peerSource = " + batch));
            db.forEach("""
                    CALL gds.beta.pipeline.linkPrediction.predict.stream($g, {modelName: $g, sourceNodeLabel: $label,
                      targetNodeLabel: 'User', topN: $topN, threshold: 0.0})
                    YIELD node1, node2, probability
                    RETURN node1, node2, probability""",
                    Map.of("g", GRAPH, "label", label, "topN", batches.get(batch).size() * g.userCount()),
                    row -> {
                        long k = Snapshots.pairKey(indexOfNode.get(row.get("node1").asLong()), indexOfNode.get(row.get("node2").asLong()));
                        if (probability.containsKey(k)) {
                            probability.put(k, row.get("probability").asDouble());
                        }
                    });
        }
        Set<Integer> scored = new java.util.HashSet<>();
        batches.forEach(scored::addAll);
        double[] out = new double[us.length];
        for (int i = 0; i < us.length; i++) {
            out[i] = probability.get(Snapshots.pairKey(us[i], vs[i]));
            if (Double.isNaN(out[i]) && scored.contains(us[i])) {
                throw new IllegalStateException("GDS gave no probability for pair " + us[i] + "-" + vs[i]);
            }
        }
        return out;
    }

    private void cleanUp() {
        db.run("CALL gds.graph.drop($g, false)", Map.of("g", GRAPH));
        db.run("CALL gds.pipeline.drop($g, false)", Map.of("g", GRAPH));
        db.run("CALL gds.model.drop($g, false)", Map.of("g", GRAPH));
        db.run("MATCH ()-[r:FRIEND_VISIBLE]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS", Map.of());
        db.run("MATCH (u:User) WHERE u.regionVector IS NOT NULL OR u.peerSource IS NOT NULL"
                + " REMOVE u.regionVector, u.peerSource", Map.of());
    }
}

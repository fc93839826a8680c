package org.lastfmgnn.service;

import ai.djl.Device;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lastfmgnn.catalog.StoredModel;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.recommend.FriendScorer;
import org.lastfmgnn.store.BatchedTransactions;
import org.lastfmgnn.model.LinkPredictor;
import org.lastfmgnn.training.FriendEvaluation;
import org.lastfmgnn.training.LinkModel;
import org.lastfmgnn.training.MemoryEstimate;
import org.lastfmgnn.training.TrainConfig;
import org.lastfmgnn.writeback.WriteTurn;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;

/**
 * Friend suggestions for one user (by the hand-set score, or by a saved link predictor), their evaluation on hidden
 * friendships, and the training of the link predictor that {@code lastfm.recommend.friends} serves
 * ({@code lastfm.gnn.train({task: 'friends'})}).
 */
@SuppressWarnings("deprecation") // internal node ids from the export are the write-back handle
public final class FriendRecommendationService {
    public static final RelationshipType SUGGESTED_FRIEND = RelationshipType.withName("SUGGESTED_FRIEND");

    /** One suggested friend. */
    public record FriendSuggestion(long userId, double score, boolean sameRegion, long mutualFriends, long rank) {
    }

    private final GraphDatabaseService db;
    private final ModelCatalog catalog;
    private final Consumer<String> log;
    private final Runnable cancellation;

    /** @param cancellation throws when the work must stop (the procedure's termination guard) */
    public FriendRecommendationService(GraphDatabaseService db, ModelCatalog catalog, Consumer<String> log,
                                       Runnable cancellation) {
        this.db = db;
        this.catalog = catalog;
        this.log = log;
        this.cancellation = cancellation;
    }

    /**
     * Evaluates the link predictor on hidden friendships (as {@code lastfm.recommend.friends.evaluate}: the learned
     * predictor against Adamic-Adar, resource allocation and common neighbours on the same pairs) and, with
     * {@code write}, saves the predictor it evaluated as a {@code friends} model: the figures are the served model's,
     * and it never saw the friendships it was measured on (as GDS's link prediction pipeline keeps its test
     * relationships out of the model it saves). Nothing else is written.
     */
    @SuppressWarnings("unchecked") // the metrics' inner maps are made here
    public TrainResult train(Transaction tx, TrainConfig config) throws IOException {
        try (TrainingLock lock = TrainingLock.acquire("lastfm.gnn.train " + config.modelName(), config.modelName());
             ProgressTracker progress = ProgressTracker.start("lastfm.gnn.train " + config.modelName(), 1, log, cancellation)) {
            long t0 = System.nanoTime();
            // no likes: with the synthetic ones a likes-derived signal would know the hidden friendships
            GraphSnapshot g = GraphExporter.export(tx, null, false);
            Device device = config.tensorDevice();
            lock.reserve(MemoryEstimate.of(g, config), device);
            long exported = System.nanoTime();
            FriendEvaluation.Result evaluation = FriendEvaluation.run(g, config.holdout(), config.randomSeed(), device, progress);
            LinkModel model = evaluation.learned();
            long trained = System.nanoTime();
            progress.advance(1);
            // metrics: the learned predictor's scores (and its served list's) per kind of negatives; baselines: every
            // other method's, alike
            Map<String, Object> metrics = new LinkedHashMap<>();
            Map<String, Object> baselines = new LinkedHashMap<>();
            evaluation.scores().forEach((negatives, methods) -> methods.forEach((method, scores) -> {
                Map<String, Object> into = method.startsWith("learned") ? metrics : baselines;
                ((Map<String, Object>) into.computeIfAbsent(method, m -> new LinkedHashMap<String, Object>()))
                        .put(negatives, scores.toMap());
            }));
            metrics.put("hiddenFriendships", evaluation.hiddenFriendships());
            metrics.put("holdout", config.holdout());
            metrics.put("validationAuc", model.validationAuc());
            Map<String, Object> described = model.describe();
            described.put("holdout", config.holdout());
            described.put("threads", org.lastfmgnn.model.Engines.threads());
            described.put("device", device.toString());
            List<String> inputs = List.of("regions", "structure");
            StoredModel stored = new StoredModel(StoredModel.FORMAT_VERSION, config.modelName(),
                    java.util.UUID.randomUUID().toString(), TrainConfig.FRIENDS, config.model(), config.model(),
                    model.classes() + 3, 0, new int[] {LinkPredictor.HIDDEN}, 1, model.classes(), LinkPredictor.DROPOUT,
                    LinkPredictor.DROPOUT, inputs, false, 0, 0, 0, described, metrics, "none",
                    ZonedDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString(), StoredModel.LAYERS);
            if (config.write()) {
                catalog.commit(stored, model.weights(), () -> { });
            }
            long end = System.nanoTime();
            log.accept(String.format("lastfm.gnn.train %s (friends): %s, baselines %s", config.modelName(), metrics,
                    baselines));
            long labelled = java.util.Arrays.stream(g.regions()).filter(r -> r >= 0).count();
            return new TrainResult(config.modelName(), config.task(), config.model(), 1, null, null, null, List.of(),
                    metrics, baselines, described, new ArrayList<>(inputs), "none", g.userCount(), labelled, 0, 0,
                    config.write(), (exported - t0) / 1_000_000, (trained - exported) / 1_000_000,
                    (end - trained) / 1_000_000, model.millisPerEpoch());
        }
    }

    /**
     * The {@code k} users who are not yet friends of {@code user}, best first; with {@code write} they replace the
     * user's earlier SUGGESTED_FRIEND relationships. Scored by the saved link predictor {@code modelName} (the
     * probability it gives the friendship; friends of friends listed first, {@link LinkModel#servedOrder}), or
     * without one by the hand-set score ({@link FriendScorer}).
     */
    public List<FriendSuggestion> suggest(Transaction tx, Node user, int k, boolean write, String modelName)
            throws IOException {
        LinkModel linkModel = modelName == null ? null : linkModel(modelName);
        GraphSnapshot g = GraphExporter.export(tx, null, false);
        if (linkModel != null && linkModel.classes() != g.classCount()) {
            throw new IllegalArgumentException("Model '" + modelName + "' was trained on a graph with " + linkModel.classes()
                    + " regions, this one has " + g.classCount() + "; retrain it: CALL lastfm.gnn.train({task: 'friends', "
                    + "modelName: '" + modelName + "'})");
        }
        int n = g.userCount();
        float[] embeddings = null;
        int width = 0;
        int[] region = new int[n];
        // the taste embeddings are the hand-set score's: a model's list does not read them
        String embedding = linkModel == null ? "u.tasteEmbedding" : "null";
        try (var rows = tx.execute("MATCH (u:User) RETURN u.id AS id, " + embedding
                + " AS e, coalesce(u.region, u.predictedRegion, -1) AS r")) {
            while (rows.hasNext()) {
                Map<String, Object> row = rows.next();
                int index = g.indexOf(((Number) row.get("id")).longValue());
                region[index] = ((Number) row.get("r")).intValue();
                if (row.get("e") instanceof float[] e) {
                    if (embeddings == null) {
                        width = e.length;
                        embeddings = new float[n * width];
                    }
                    if (e.length == width) {
                        System.arraycopy(e, 0, embeddings, index * width, width);
                    }
                }
            }
        }
        FriendScorer scorer = new FriendScorer(g, embeddings, width, region);
        int u = g.indexOf(((Number) user.getProperty("id")).longValue());
        double[] scores = new double[n];
        double[] order = scores; // the rank order: the score itself, except for a model's list (friends of friends first)
        Integer[] candidates = new Integer[n];
        int count = 0;
        for (int v = 0; v < n; v++) {
            if (v != u && !scorer.areFriends(u, v)) {
                scores[v] = linkModel == null ? scorer.score(u, v) : 0;
                candidates[count++] = v;
            }
        }
        if (linkModel != null && count > 0) {
            int[] us = new int[count];
            int[] vs = new int[count];
            java.util.Arrays.fill(us, u);
            for (int i = 0; i < count; i++) {
                vs[i] = candidates[i];
            }
            order = new double[n];
            try (LinkModel.Scorer learned = linkModel.scorer(g)) {
                double[] logits = learned.logits(us, vs);
                for (int i = 0; i < count; i++) {
                    scores[vs[i]] = 1 / (1 + Math.exp(-logits[i]));
                    order[vs[i]] = LinkModel.servedOrder(logits[i], scorer.mutualFriends(u, vs[i]));
                }
            }
        }
        double[] key = order;
        Integer[] ranked = java.util.Arrays.copyOf(candidates, count);
        java.util.Arrays.sort(ranked, (x, y) -> key[y] != key[x] ? Double.compare(key[y], key[x]) : Integer.compare(x, y));
        List<FriendSuggestion> out = new ArrayList<>();
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
            int v = ranked[r];
            out.add(new FriendSuggestion(g.userIds()[v], scores[v], scorer.sameRegion(u, v), scorer.mutualFriends(u, v), r + 1));
        }
        if (write) {
            write(g, u, ranked, out);
        }
        return out;
    }

    /** The saved link predictor {@code modelName}; a model of another task is refused with what to use instead. */
    private LinkModel linkModel(String modelName) throws IOException {
        StoredModel stored = catalog.describe(modelName);
        if (!stored.task().equals(TrainConfig.FRIENDS)) {
            throw new IllegalArgumentException("Model '" + modelName + "' is a '" + stored.task() + "' model; "
                    + "lastfm.recommend.friends serves 'friends' models: CALL lastfm.gnn.train({task: 'friends'})");
        }
        Map<String, Object> c = stored.config();
        return new LinkModel(catalog.weights(modelName), stored.classes(), ((Number) c.get("epochs")).intValue(),
                ((Number) c.get("randomSeed")).longValue(), ((Number) c.get("validationAuc")).doubleValue(), 0);
    }

    private void write(GraphSnapshot g, int u, Integer[] ranked, List<FriendSuggestion> suggestions) {
        try (WriteTurn turn = WriteTurn.take(); BatchedTransactions batches = new BatchedTransactions(db, 10_000)) {
            Node source = batches.tx().getNodeById(g.nodeIds()[u]);
            try (var rels = source.getRelationships(Direction.OUTGOING, SUGGESTED_FRIEND)) {
                for (Relationship r : rels) {
                    r.delete();
                }
            }
            for (int r = 0; r < suggestions.size(); r++) {
                Relationship rel = source.createRelationshipTo(batches.tx().getNodeById(g.nodeIds()[ranked[r]]), SUGGESTED_FRIEND);
                rel.setProperty("score", suggestions.get(r).score());
                rel.setProperty("rank", (long) r + 1);
            }
        }
    }

    /** @param cancellation throws when the work must stop (the procedure's termination guard) */
    public FriendEvaluation.Result evaluate(Transaction tx, double holdout, long seed) {
        try (TrainingLock lock = TrainingLock.acquire("lastfm.recommend.friends.evaluate", "");
             ProgressTracker progress = ProgressTracker.start("lastfm.recommend.friends.evaluate", 1, message -> { },
                     cancellation)) {
            // no likes: with the synthetic ones a likes-derived signal would know the hidden friendships
            GraphSnapshot g = GraphExporter.export(tx, null, false);
            return FriendEvaluation.run(g, holdout, seed, Device.cpu(), progress);
        }
    }
}

package org.lastfmgnn.service;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lastfmgnn.catalog.ModelStore;
import org.lastfmgnn.catalog.StoredModel;
import org.lastfmgnn.explain.GnnExplainer;
import org.lastfmgnn.explain.ArtistTarget;
import org.lastfmgnn.explain.ComputationSubgraph;
import org.lastfmgnn.explain.RegionTarget;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.training.ArtistFit;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.writeback.InfluenceWriter;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/** Explains region predictions with GNNExplainer, from a saved region model: one user, or a sample. */
public final class ExplainService {
    /** What {@code lastfm.explain} yields. */
    public record ExplainResult(long userId, String modelName, String task, Long predictedRegion, Long artistId,
                                double probability, List<Map<String, Object>> edges, List<Map<String, Object>> features,
                                List<Map<String, Object>> artists, double fidelityPlus, double fidelityPlusRandom,
                                double fidelityMinus, double sparsity, long subgraphEdges, long relationshipsWritten,
                                long explainMillis) {
    }

    /** One row of {@code lastfm.explain.global}: a feature or an edge type, with its mean importance. */
    public record GlobalImportance(String kind, String name, double importance, long users) {
    }

    private final GraphDatabaseService db;
    private final ModelStore store;

    public ExplainService(GraphDatabaseService db, ModelStore store) {
        this.db = db;
        this.store = store;
    }

    /** The newest saved model of the task, for calls that name none. */
    public String defaultModel(String task) throws IOException {
        return store.list().stream().filter(m -> m.task().equals(task))
                .max(Comparator.comparing(StoredModel::trainedAt)).map(StoredModel::name)
                .orElseThrow(() -> new IllegalArgumentException("No " + task + " model to explain: train one with "
                        + "CALL lastfm.gnn.train({task: '" + task + "'})"));
    }

    public ExplainResult explain(Transaction tx, long userId, String modelName, int epochs, int topK, boolean write)
            throws IOException {
        long start = System.nanoTime();
        try (Session session = new Session(tx, modelName)) {
            int user = session.graph.indexOf((int) userId);
            int region = session.predict(user);
            GnnExplainer.Explanation e = session.explain(user, region, epochs, topK);
            GraphSnapshot g = session.graph;
            TopEdges top = topEdges(g, e, topK);
            List<Map<String, Object>> features = topFeatures(session.inputs.featureNames(), e.featureImportance(), topK);
            List<Map<String, Object>> artists = topArtists(g, e.artistImportance(), topK);
            long written = write ? writeInfluences(g, user, userId, top, e.artistImportance(), topK, modelName) : 0;
            return new ExplainResult(userId, modelName, "region", (long) region, null, e.probability(), top.rows(), features,
                    artists, e.fidelityPlus(), e.fidelityPlusRandom(), e.fidelityMinus(), e.sparsity(), e.edgeIds().length,
                    written, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Mean feature importance and mean edge importance per edge type over a seeded sample of labelled users.
     * Edge types: where the message goes (to the user, or to one of its friends) and whether its sender's known
     * region is the region predicted.
     */
    public List<GlobalImportance> global(Transaction tx, String modelName, int sample, int epochs, long seed,
                                         Runnable cancellation) throws IOException {
        try (Session session = new Session(tx, modelName)) {
            GraphSnapshot g = session.graph;
            int[] labelled = java.util.stream.IntStream.range(0, g.userCount()).filter(u -> g.regions()[u] >= 0).toArray();
            org.lastfmgnn.training.Folds.shuffle(labelled, new Random(seed));
            int users = Math.min(sample, labelled.length);
            List<String> names = session.inputs.featureNames();
            double[] featureSum = new double[names.size()];
            Map<String, double[]> edgeTypes = new LinkedHashMap<>();
            for (String type : List.of("friend->user, same region", "friend->user, other region",
                    "friend of friend->friend, same region", "friend of friend->friend, other region")) {
                edgeTypes.put(type, new double[2]);
            }
            for (int i = 0; i < users; i++) {
                cancellation.run();
                int u = labelled[i];
                int region = session.predict(u);
                GnnExplainer.Explanation e = session.explain(u, region, epochs, 10);
                for (int f = 0; f < featureSum.length; f++) {
                    featureSum[f] += e.featureImportance()[f];
                }
                for (int edge = 0; edge < e.edgeIds().length; edge++) {
                    int source = e.edgeSource()[edge];
                    String type = (e.edgeTarget()[edge] == u ? "friend->user" : "friend of friend->friend")
                            + (g.regions()[source] == region ? ", same region" : ", other region");
                    double[] acc = edgeTypes.get(type);
                    acc[0] += e.edgeImportance()[edge];
                    acc[1]++;
                }
            }
            List<GlobalImportance> rows = new ArrayList<>();
            for (int f = 0; f < names.size(); f++) {
                rows.add(new GlobalImportance("feature", names.get(f), featureSum[f] / Math.max(1, users), users));
            }
            edgeTypes.forEach((type, acc) -> rows.add(new GlobalImportance("edgeType", type, acc[1] == 0 ? 0 : acc[0] / acc[1], users)));
            rows.sort(Comparator.comparing(GlobalImportance::kind).thenComparing(Comparator.comparingDouble(GlobalImportance::importance).reversed()));
            return rows;
        }
    }

    /**
     * Explains why an artist model recommends {@code artistId} (default: the user's first recommendation) to a
     * user: the friendships and the artists (likes of the user's friends) behind its score. The user's own likes
     * are hidden, as they were when the recommendation was made.
     */
    public ExplainResult explainArtist(Transaction tx, long userId, String modelName, Long artistId, int epochs, int topK,
                                       boolean write) throws IOException {
        long start = System.nanoTime();
        StoredModel stored = store.describe(modelName);
        if (!stored.task().equals("artists")) {
            throw new IllegalArgumentException("Model '" + modelName + "' is a '" + stored.task() + "' model; task 'artists' explains artist models");
        }
        GraphSnapshot g = GraphExporter.export(tx, null, true);
        int user = g.indexOf((int) userId);
        long artistToExplain = artistId != null ? artistId : firstRecommendation(tx, userId, modelName);
        int artist = -1;
        for (int a = 0; a < g.artistCount(); a++) {
            if (g.artistIds()[a] == artistToExplain) {
                artist = a;
            }
        }
        if (artist < 0) {
            throw new IllegalArgumentException("No artist with id " + artistToExplain);
        }
        if (stored.sparseInputs() != g.artistCount()) {
            throw new IllegalArgumentException("Model '" + modelName + "' was trained on " + stored.sparseInputs()
                    + " artists; the graph has " + g.artistCount() + ". Retrain it.");
        }
        ModelShape shape = new ModelShape(Architecture.of(stored.architecture()), stored.denseInputs(), stored.sparseInputs(),
                stored.hidden(), stored.heads(), stored.classes(), stored.dropout());
        boolean[] visible = new boolean[g.userCount()];
        java.util.Arrays.fill(visible, true);
        visible[user] = false;
        GnnExplainer.Explanation e;
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, g, true);
             ArtistRecommender model = new ArtistRecommender(manager, shape, g.artistCount(), 0)) {
            model.restore(store.weights(modelName));
            float[] rows = new float[g.userCount()];
            for (int u = 0; u < rows.length; u++) {
                rows[u] = visible[u] ? 1 : 0;
            }
            ArtistTarget target = new ArtistTarget(model, user, artist,
                    manager.create(ArtistFit.friendShare(g, new int[] {user}, visible), new ai.djl.ndarray.types.Shape(1, g.artistCount())),
                    manager.create(rows, new ai.djl.ndarray.types.Shape(rows.length, 1)));
            e = GnnExplainer.explain(target, tensors, g, ArtistFit.denseFeatures(g, visible), ArtistFit.DENSE_WIDTH, user,
                    shape.architecture() == Architecture.MLP ? 0 : shape.hidden().length + 1, g.artistCount(),
                    GnnExplainer.Settings.defaults(epochs), topK, userId);
        }
        TopEdges top = topEdges(g, e, topK);
        List<Map<String, Object>> features = topFeatures(ArtistFit.FEATURE_NAMES, e.featureImportance(), topK);
        long written = write ? writeInfluences(g, user, userId, top, e.artistImportance(), topK, modelName) : 0;
        return new ExplainResult(userId, modelName, "artists", null, artistToExplain, e.probability(), top.rows(), features,
                topArtists(g, e.artistImportance(), topK), e.fidelityPlus(), e.fidelityPlusRandom(), e.fidelityMinus(),
                e.sparsity(), e.edgeIds().length, written, (System.nanoTime() - start) / 1_000_000);
    }

    private static long firstRecommendation(Transaction tx, long userId, String model) {
        try (var result = tx.execute("MATCH (:User {id: $u})-[r:RECOMMENDED {model: $m}]->(a:Artist) "
                + "RETURN a.id AS id ORDER BY r.rank LIMIT 1", Map.of("u", userId, "m", model))) {
            if (!result.hasNext()) {
                throw new IllegalArgumentException("User " + userId + " has no recommendation from '" + model
                        + "': give artistId, or train with write: true");
            }
            return ((Number) result.next().get("id")).longValue();
        }
    }

    /** The user-to-user edges, and (:Artist)-[:INFLUENCES]->(:User) for the top artists when artists were masked. */
    @SuppressWarnings("deprecation")
    private long writeInfluences(GraphSnapshot g, int user, long userId, TopEdges top, float[] artistImportance, int topK,
                                 String model) {
        long[] sources = top.sources();
        long[] targets = top.targets();
        double[] importance = top.importance();
        int extra = artistImportance == null ? 0 : Math.min(topK, artistImportance.length);
        long[] s = java.util.Arrays.copyOf(sources, sources.length + extra);
        long[] t = java.util.Arrays.copyOf(targets, targets.length + extra);
        double[] w = java.util.Arrays.copyOf(importance, importance.length + extra);
        if (extra > 0) {
            Integer[] order = byImportance(artistImportance);
            for (int i = 0; i < extra; i++) {
                s[sources.length + i] = g.artistNodeIds()[order[i]];
                t[sources.length + i] = g.nodeIds()[user];
                w[sources.length + i] = artistImportance[order[i]];
            }
        }
        return InfluenceWriter.write(db, userId, s, t, w, model);
    }

    /** The most important message edges: rows to stream, and node ids with importance to write. */
    private record TopEdges(List<Map<String, Object>> rows, long[] sources, long[] targets, double[] importance) {
    }

    private static TopEdges topEdges(GraphSnapshot g, GnnExplainer.Explanation e, int topK) {
        Integer[] order = byImportance(e.edgeImportance());
        int k = Math.min(topK, order.length);
        List<Map<String, Object>> rows = new ArrayList<>();
        long[] sources = new long[k];
        long[] targets = new long[k];
        double[] importance = new double[k];
        for (int i = 0; i < k; i++) {
            int edge = order[i];
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", (long) g.userIds()[e.edgeSource()[edge]]);
            row.put("target", (long) g.userIds()[e.edgeTarget()[edge]]);
            row.put("importance", (double) e.edgeImportance()[edge]);
            rows.add(row);
            sources[i] = g.nodeIds()[e.edgeSource()[edge]];
            targets[i] = g.nodeIds()[e.edgeTarget()[edge]];
            importance[i] = e.edgeImportance()[edge];
        }
        return new TopEdges(rows, sources, targets, importance);
    }

    private static List<Map<String, Object>> topFeatures(List<String> names, float[] importance, int topK) {
        Integer[] order = byImportance(importance);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(topK, order.length); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("feature", names.get(order[i]));
            row.put("importance", (double) importance[order[i]]);
            rows.add(row);
        }
        return rows;
    }

    /** The most important artist inputs, or an empty list when artists were not masked. */
    static List<Map<String, Object>> topArtists(GraphSnapshot g, float[] importance, int topK) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (importance == null) {
            return rows;
        }
        Integer[] order = byImportance(importance);
        for (int i = 0; i < Math.min(topK, order.length); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("artist", (long) g.artistIds()[order[i]]);
            row.put("importance", (double) importance[order[i]]);
            rows.add(row);
        }
        return rows;
    }

    private static Integer[] byImportance(float[] importance) {
        Integer[] order = new Integer[importance.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> importance[b] != importance[a] ? Float.compare(importance[b], importance[a]) : Integer.compare(a, b));
        return order;
    }

    /** A saved model loaded once with the graph's tensors, for one or many explanations. */
    private final class Session implements AutoCloseable {
        final GraphSnapshot graph;
        final RegionInputs inputs;
        final int hops;
        final NDManager manager;
        final GraphTensors tensors;
        final NodeClassifier model;

        Session(Transaction tx, String modelName) throws IOException {
            StoredModel stored = store.describe(modelName);
            graph = GraphExporter.export(tx, null, stored.inputs().contains("artists"));
            inputs = new RegionInputs(graph, new LinkedHashSet<>(stored.inputs()), stored.classes());
            ModelShape shape = new ModelShape(Architecture.of(stored.architecture()), stored.denseInputs(),
                    stored.sparseInputs(), stored.hidden(), stored.heads(), stored.classes(), stored.dropout());
            hops = shape.architecture() == Architecture.MLP ? 0 : shape.hidden().length + 1;
            manager = Engines.pytorch().newBaseManager();
            tensors = new GraphTensors(manager, graph, inputs.usesArtists());
            model = new NodeClassifier(manager, shape, 0);
            model.restore(store.weights(modelName));
        }

        /** The user's own label is what is being explained: it is not an input. */
        float[] features(int user) {
            boolean[] isInput = new boolean[graph.userCount()];
            for (int u = 0; u < isInput.length; u++) {
                isInput[u] = graph.regions()[u] >= 0 && u != user;
            }
            return inputs.dense(graph.regions(), isInput);
        }

        /** The region the network predicts for the user (before smoothing): what gets explained. */
        int predict(int user) {
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                float[] logits = model.forward(tensors, tensors.dense(features(user), inputs.denseWidth()), false)
                        .get(user).toFloatArray();
                return org.lastfmgnn.training.Metrics.argmax(logits, 0, logits.length);
            }
        }

        /** On the user's computation subgraph: the same output as on the whole graph, at a fraction of the work. */
        GnnExplainer.Explanation explain(int user, int region, int epochs, int topK) {
            ComputationSubgraph sub = ComputationSubgraph.of(graph, user, hops);
            int width = inputs.denseWidth();
            try (GraphTensors subTensors = new GraphTensors(manager, sub.graph(), inputs.usesArtists(), sub.degrees())) {
                int at = sub.index(user);
                return sub.toWholeGraph(GnnExplainer.explain(new RegionTarget(model, at, region), subTensors, sub.graph(),
                        sub.rows(features(user), width), width, at, hops, inputs.usesArtists() ? graph.artistCount() : 0,
                        GnnExplainer.Settings.defaults(epochs), topK, graph.userIds()[user]));
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}

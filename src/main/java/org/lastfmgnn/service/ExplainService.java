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
    public record ExplainResult(long userId, String modelName, long predictedRegion, double probability,
                                List<Map<String, Object>> edges, List<Map<String, Object>> features, double fidelityPlus,
                                double fidelityPlusRandom, double fidelityMinus, double sparsity, long subgraphEdges,
                                long relationshipsWritten, long explainMillis) {
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

    /** The newest saved region model, for calls that name none. */
    public String defaultModel() throws IOException {
        return store.list().stream().filter(m -> m.task().equals("region"))
                .max(Comparator.comparing(StoredModel::trainedAt)).map(StoredModel::name)
                .orElseThrow(() -> new IllegalArgumentException("No region model to explain: train one with CALL lastfm.gnn.train()"));
    }

    public ExplainResult explain(Transaction tx, long userId, String modelName, int epochs, int topK, boolean write)
            throws IOException {
        long start = System.nanoTime();
        try (Session session = new Session(tx, modelName)) {
            GnnExplainer.Explanation e = session.explain(session.graph.indexOf((int) userId), epochs, topK);
            GraphSnapshot g = session.graph;
            Integer[] order = byImportance(e.edgeImportance());
            int k = Math.min(topK, order.length);
            List<Map<String, Object>> edges = new ArrayList<>();
            long[] sources = new long[k];
            long[] targets = new long[k];
            double[] importance = new double[k];
            for (int i = 0; i < k; i++) {
                int edge = order[i];
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("source", (long) g.userIds()[e.edgeSource()[edge]]);
                row.put("target", (long) g.userIds()[e.edgeTarget()[edge]]);
                row.put("importance", (double) e.edgeImportance()[edge]);
                edges.add(row);
                sources[i] = g.nodeIds()[e.edgeSource()[edge]];
                targets[i] = g.nodeIds()[e.edgeTarget()[edge]];
                importance[i] = e.edgeImportance()[edge];
            }
            List<String> names = session.inputs.featureNames();
            Integer[] byFeature = byImportance(e.featureImportance());
            List<Map<String, Object>> features = new ArrayList<>();
            for (int i = 0; i < Math.min(topK, byFeature.length); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("feature", names.get(byFeature[i]));
                row.put("importance", (double) e.featureImportance()[byFeature[i]]);
                features.add(row);
            }
            long written = write ? InfluenceWriter.write(db, userId, sources, targets, importance, modelName) : 0;
            return new ExplainResult(userId, modelName, e.predictedClass(), e.probability(), edges, features,
                    e.fidelityPlus(), e.fidelityPlusRandom(), e.fidelityMinus(), e.sparsity(), e.edgeIds().length,
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
                GnnExplainer.Explanation e = session.explain(u, epochs, 10);
                for (int f = 0; f < featureSum.length; f++) {
                    featureSum[f] += e.featureImportance()[f];
                }
                for (int edge = 0; edge < e.edgeIds().length; edge++) {
                    int source = e.edgeSource()[edge];
                    String type = (e.edgeTarget()[edge] == u ? "friend->user" : "friend of friend->friend")
                            + (g.regions()[source] == e.predictedClass() ? ", same region" : ", other region");
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
        GnnExplainer.Explanation explain(int user, int epochs, int topK) {
            boolean[] isInput = new boolean[graph.userCount()];
            for (int u = 0; u < isInput.length; u++) {
                isInput[u] = graph.regions()[u] >= 0 && u != user;
            }
            return GnnExplainer.explain(model, tensors, graph, inputs.dense(graph.regions(), isInput), inputs.denseWidth(),
                    user, hops, GnnExplainer.Settings.defaults(epochs), topK, graph.userIds()[user]);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}

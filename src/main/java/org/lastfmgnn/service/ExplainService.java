package org.lastfmgnn.service;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

/** Explains one user's region prediction with GNNExplainer, from a saved region model. */
public final class ExplainService {
    /** What {@code lastfm.explain} yields. */
    public record ExplainResult(long userId, String modelName, long predictedRegion, double probability,
                                List<Map<String, Object>> edges, List<Map<String, Object>> features, double fidelityPlus,
                                double fidelityPlusRandom, double fidelityMinus, double sparsity, long subgraphEdges,
                                long relationshipsWritten, long explainMillis) {
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
        StoredModel stored = store.describe(modelName);
        GraphSnapshot g = GraphExporter.export(tx, null, stored.inputs().contains("artists"));
        int user = g.indexOf((int) userId);
        RegionInputs inputs = new RegionInputs(g, new LinkedHashSet<>(stored.inputs()), stored.classes());
        // the user's own label is what is being explained: it is not an input
        boolean[] isInput = new boolean[g.userCount()];
        for (int u = 0; u < isInput.length; u++) {
            isInput[u] = g.regions()[u] >= 0 && u != user;
        }
        ModelShape shape = new ModelShape(Architecture.of(stored.architecture()), stored.denseInputs(),
                stored.sparseInputs(), stored.hidden(), stored.heads(), stored.classes(), stored.dropout());
        int hops = shape.architecture() == Architecture.MLP ? 0 : shape.hidden().length + 1;
        GnnExplainer.Explanation e;
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, g, inputs.usesArtists());
             NodeClassifier model = new NodeClassifier(manager, shape, 0)) {
            model.restore(store.weights(modelName));
            e = GnnExplainer.explain(model, tensors, g, inputs.dense(g.regions(), isInput), inputs.denseWidth(), user,
                    hops, GnnExplainer.Settings.defaults(epochs), topK, userId);
        }
        Integer[] order = new Integer[e.edgeIds().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(e.edgeImportance()[b], e.edgeImportance()[a]));
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
        List<String> names = inputs.featureNames();
        List<Map<String, Object>> features = new ArrayList<>();
        Integer[] byFeature = new Integer[names.size()];
        for (int i = 0; i < byFeature.length; i++) {
            byFeature[i] = i;
        }
        java.util.Arrays.sort(byFeature, (a, b) -> Float.compare(e.featureImportance()[b], e.featureImportance()[a]));
        for (int i = 0; i < Math.min(topK, byFeature.length); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("feature", names.get(byFeature[i]));
            row.put("importance", (double) e.featureImportance()[byFeature[i]]);
            features.add(row);
        }
        long written = write ? InfluenceWriter.write(db, userId, sources, targets, importance, modelName) : 0;
        return new ExplainResult(userId, modelName, e.predictedClass(), e.probability(), edges, features, e.fidelityPlus(),
                e.fidelityPlusRandom(), e.fidelityMinus(), e.sparsity(), e.edgeIds().length, written,
                (System.nanoTime() - start) / 1_000_000);
    }
}

package org.lastfmgnn.service;

import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lastfmgnn.catalog.ModelStore;
import org.lastfmgnn.catalog.StoredModel;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.progress.ProgressTracker;
import ai.djl.ndarray.NDManager;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.training.CrossValidation;
import org.lastfmgnn.training.MemoryEstimate;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.RegionPredictor;
import org.lastfmgnn.training.Metrics;
import org.lastfmgnn.training.RegionTraining;
import org.lastfmgnn.training.TrainConfig;
import org.lastfmgnn.writeback.AttentionWriter;
import org.lastfmgnn.writeback.ModelRecordWriter;
import org.lastfmgnn.writeback.RegionPredictionWriter;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/** Region training against a database: export, cross-validate and train, save the model, write back. */
public final class RegionModelService {
    private static final int WRITE_BATCH = 10_000;

    private final GraphDatabaseService db;
    private final ModelStore store;
    private final Consumer<String> log;
    private final Runnable cancellation;

    /** @param cancellation throws when the work must stop (the procedure's termination guard) */
    public RegionModelService(GraphDatabaseService db, ModelStore store, Consumer<String> log, Runnable cancellation) {
        this.db = db;
        this.store = store;
        this.log = log;
        this.cancellation = cancellation;
    }

    /** @param tx the calling procedure's transaction, used for reading only */
    public TrainResult train(Transaction tx, TrainConfig config) throws IOException {
        try (TrainingLock lock = TrainingLock.acquire("lastfm.gnn.train " + config.modelName())) {
            long t0 = System.nanoTime();
            GraphSnapshot graph = GraphExporter.export(tx, config.userQuery());
            MemoryEstimate.of(graph.userCount(), graph.friendshipCount(), graph.artistCount(), graph.likes().length, config)
                    .requireFits();
            long exported = System.nanoTime();
            log.accept(String.format("lastfm.gnn.train %s: exported %,d users and %,d friendships in %d ms",
                    config.modelName(), graph.userCount(), graph.friendshipCount(), (exported - t0) / 1_000_000));
            RegionTraining.Outcome outcome;
            try (ProgressTracker progress = ProgressTracker.start("lastfm.gnn.train " + config.modelName(),
                    config.folds() + 1, log, cancellation)) {
                outcome = RegionTraining.run(graph, config, progress);
            }
            long trained = System.nanoTime();
            CrossValidation.Result cv = outcome.cv();
            String featureSource = outcome.inputs().contains("artists") ? graph.featureSource() : "none";
            Map<String, Object> baselines = baselines(cv);
            List<Double> foldAccuracies = Arrays.stream(cv.accuracies()).boxed().toList();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("accuracyMean", Metrics.mean(cv.accuracies()));
            metrics.put("accuracyStd", Metrics.std(cv.accuracies()));
            metrics.put("macroF1Mean", Metrics.mean(cv.macroF1s()));
            metrics.put("folds", config.folds());
            String runId = java.util.UUID.randomUUID().toString();
            metrics.put("runId", runId);
            metrics.put("foldAccuracies", foldAccuracies);
            metrics.put("baselines", baselines);
            Map<String, Object> described = new LinkedHashMap<>(outcome.best().toMap());
            described.put("randomSeed", config.randomSeed());
            described.put("gridSize", config.grid().size());
            StoredModel stored = new StoredModel(config.modelName(), config.task(), config.model().label(),
                    outcome.shape().denseInputs(), outcome.shape().sparseInputs(), outcome.shape().hidden(),
                    outcome.shape().heads(), outcome.shape().classes(), outcome.shape().dropout(),
                    new ArrayList<>(outcome.inputs()), outcome.best().smoothing(), described, metrics, featureSource,
                    ZonedDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString());
            store.save(stored, outcome.weights());
            long written = 0;
            if (config.write()) {
                written = RegionPredictionWriter.write(db, graph.nodeIds(), null, outcome.predicted(),
                        outcome.probabilities(), outcome.predictionFold(), outcome.classes(), config.modelName(), runId,
                        WRITE_BATCH);
                ModelRecordWriter.write(db, stored);
                if (outcome.attention() != null) {
                    written += AttentionWriter.write(db, graph.nodeIds(), outcome.attention(), config.modelName(), WRITE_BATCH);
                }
            }
            long end = System.nanoTime();
            long labelled = Arrays.stream(graph.regions()).filter(r -> r >= 0).count();
            return new TrainResult(config.modelName(), config.task(), config.model().label(), config.folds(),
                    Metrics.mean(cv.accuracies()), Metrics.std(cv.accuracies()), Metrics.mean(cv.macroF1s()),
                    foldAccuracies, metrics, baselines, described, new ArrayList<>(outcome.inputs()), featureSource,
                    graph.userCount(), labelled, written, 0, (exported - t0) / 1_000_000, (trained - exported) / 1_000_000,
                    (end - trained) / 1_000_000, outcome.millisPerEpoch());
        }
    }

    private static Map<String, Object> baselines(CrossValidation.Result cv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : cv.baselineAccuracies().entrySet()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("accuracyMean", Metrics.mean(e.getValue()));
            b.put("accuracyStd", Metrics.std(e.getValue()));
            b.put("macroF1Mean", Metrics.mean(cv.baselineMacroF1().get(e.getKey())));
            b.put("foldAccuracies", Arrays.stream(e.getValue()).boxed().toList());
            out.put(e.getKey(), b);
        }
        return out;
    }

    /**
     * Applies a saved model to the users that have no region, using the labels of those that have one as inputs.
     * Writes the predictions when {@code write} is set.
     */
    public List<RegionPrediction> predict(Transaction tx, String modelName, boolean write, String userQuery)
            throws IOException {
        StoredModel stored = store.describe(modelName);
        if (!stored.task().equals("region")) {
            throw new IllegalArgumentException("Model '" + modelName + "' is a '" + stored.task() + "' model; predict applies region models");
        }
        float[][] weights = store.weights(modelName);
        GraphSnapshot graph = GraphExporter.export(tx, userQuery);
        RegionInputs inputs = new RegionInputs(graph, new java.util.LinkedHashSet<>(stored.inputs()), stored.classes());
        int sparse = inputs.usesArtists() ? graph.artistCount() : 0;
        if (inputs.denseWidth() != stored.denseInputs() || sparse != stored.sparseInputs()) {
            throw new IllegalArgumentException("Model '" + modelName + "' was trained on inputs " + stored.inputs() + " of width "
                    + stored.denseInputs() + "+" + stored.sparseInputs() + " artists; this graph gives "
                    + inputs.denseWidth() + "+" + sparse + ". Retrain it on this graph.");
        }
        int[] regions = graph.regions();
        boolean[] labelled = new boolean[regions.length];
        java.util.List<Integer> targets = new ArrayList<>();
        for (int u = 0; u < regions.length; u++) {
            labelled[u] = regions[u] >= 0;
            if (!labelled[u]) {
                targets.add(u);
            }
        }
        int classes = stored.classes();
        float[] p;
        ModelShape shape = new ModelShape(Architecture.of(stored.architecture()), stored.denseInputs(),
                stored.sparseInputs(), stored.hidden(), stored.heads(), classes, stored.dropout());
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, graph, inputs.usesArtists());
             NodeClassifier model = new NodeClassifier(manager, shape, 0)) {
            model.restore(weights);
            p = new RegionPredictor(graph, inputs, tensors, model, stored.smoothing()).probabilities(regions, labelled);
        }
        int[] users = targets.stream().mapToInt(Integer::intValue).toArray();
        int[] predicted = new int[regions.length];
        int[] fold = new int[regions.length];
        List<RegionPrediction> rows = new ArrayList<>();
        for (int u : users) {
            predicted[u] = Metrics.argmax(p, u * classes, classes);
            fold[u] = -1;
            List<Double> probabilities = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                probabilities.add((double) p[u * classes + c]);
            }
            rows.add(new RegionPrediction(graph.userIds()[u], predicted[u], p[u * classes + predicted[u]], probabilities, modelName));
        }
        if (write && users.length > 0) {
            RegionPredictionWriter.write(db, graph.nodeIds(), users, predicted, p, fold, classes, modelName,
                    String.valueOf(stored.metrics().get("runId")), WRITE_BATCH);
        }
        log.accept(String.format("lastfm.gnn.predict %s: %d users without a region predicted%s", modelName, users.length,
                write ? " and written" : ""));
        return rows;
    }
}

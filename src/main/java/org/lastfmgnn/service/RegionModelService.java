package org.lastfmgnn.service;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lastfmgnn.catalog.StoredModel;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.ScriptedBody;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.training.CrossValidation;
import org.lastfmgnn.training.MemoryEstimate;
import org.lastfmgnn.training.Metrics;
import org.lastfmgnn.training.RegionFit;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.RegionTraining;
import org.lastfmgnn.training.TrainConfig;
import org.lastfmgnn.writeback.AttentionWriter;
import org.lastfmgnn.writeback.RegionPredictionWriter;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/** Region training against a database: export, evaluate and train, then commit the model with its write-back. */
public final class RegionModelService {
    private static final int WRITE_BATCH = 10_000;

    private final GraphDatabaseService db;
    private final ModelCatalog catalog;
    private final Consumer<String> log;
    private final Runnable cancellation;

    /** @param cancellation throws when the work must stop (the procedure's termination guard) */
    public RegionModelService(GraphDatabaseService db, ModelCatalog catalog, Consumer<String> log, Runnable cancellation) {
        this.db = db;
        this.catalog = catalog;
        this.log = log;
        this.cancellation = cancellation;
    }

    /**
     * @param tx the calling procedure's transaction, used for reading only. With {@code write: false} nothing is
     *           persisted: no predictions, no model files, no record (an evaluation run).
     */
    public TrainResult train(Transaction tx, TrainConfig config) throws IOException {
        try (TrainingLock lock = TrainingLock.acquire("lastfm.gnn.train " + config.modelName(), config.modelName())) {
            long t0 = System.nanoTime();
            GraphSnapshot graph = GraphExporter.export(tx, config.userQuery());
            Device device = config.tensorDevice();
            lock.reserve(MemoryEstimate.of(graph, config), device);
            long exported = System.nanoTime();
            log.accept(String.format("lastfm.gnn.train %s: exported %,d users and %,d friendships in %d ms",
                    config.modelName(), graph.userCount(), graph.friendshipCount(), (exported - t0) / 1_000_000));
            RegionTraining.Outcome outcome;
            try (ProgressTracker progress = ProgressTracker.start("lastfm.gnn.train " + config.modelName(),
                    config.rounds() + 1, log, cancellation)) {
                outcome = RegionTraining.run(graph, config, progress);
            }
            long trained = System.nanoTime();
            CrossValidation.Result cv = outcome.cv();
            String featureSource = outcome.inputs().contains("artists") ? graph.featureSource() : "none";
            Map<String, Object> baselines = baselines(cv);
            List<Double> foldAccuracies = Arrays.stream(cv.accuracies()).boxed().toList();
            String runId = java.util.UUID.randomUUID().toString();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("accuracyMean", Metrics.mean(cv.accuracies()));
            metrics.put("accuracyStd", Metrics.std(cv.accuracies()));
            metrics.put("macroF1Mean", Metrics.mean(cv.macroF1s()));
            metrics.put("folds", config.rounds());
            metrics.put("evaluation", config.evaluation().describe());
            metrics.put("foldAccuracies", foldAccuracies);
            metrics.put("chosenPerFold", cv.rounds().stream().map(r -> r.chosen().toMap()).toList());
            metrics.put("baselines", baselines);
            Map<String, Object> described = new LinkedHashMap<>(outcome.chosen().toMap());
            described.put("requested", config.model());
            described.put("randomSeed", config.randomSeed());
            described.put("candidates", config.plans().stream().mapToInt(p -> p.size()).sum());
            described.put("evaluation", config.evaluation().toMap());
            described.put("sampling", config.sampling().toMap());
            described.put("threads", org.lastfmgnn.model.Engines.threads());
            described.put("device", device.toString());
            described.put("concurrency", config.concurrency());
            ModelShape shape = outcome.shape();
            var refinement = outcome.chosen().refinement();
            StoredModel stored = new StoredModel(StoredModel.FORMAT_VERSION, config.modelName(), runId, config.task(),
                    outcome.chosen().family().label(), shape == null ? null : shape.architecture().label(),
                    shape == null ? 0 : shape.denseInputs(), shape == null ? 0 : shape.sparseInputs(),
                    shape == null ? new int[0] : shape.hidden(), shape == null ? 0 : shape.heads(), outcome.classes(),
                    shape == null ? 0 : shape.inputDropout(), shape == null ? 0 : shape.dropout(),
                    new ArrayList<>(outcome.inputs()), outcome.readsLabels(), refinement.correction(),
                    refinement.smoothing(), refinement.steps(), described, metrics, featureSource,
                    ZonedDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString(), StoredModel.LAYERS);
            long[] written = new long[1];
            if (config.write()) {
                catalog.commit(stored, outcome.weights(), () -> {
                    written[0] = RegionPredictionWriter.write(db, graph.nodeIds(), null, outcome.predicted(),
                            outcome.probabilities(), outcome.predictionRound(), outcome.classes(), config.modelName(), runId,
                            WRITE_BATCH, cancellation);
                    if (outcome.attention() != null) {
                        written[0] += AttentionWriter.write(db, graph.nodeIds(), outcome.attention(), config.modelName(), WRITE_BATCH);
                    }
                });
            }
            long end = System.nanoTime();
            long labelled = Arrays.stream(graph.regions()).filter(r -> r >= 0).count();
            return new TrainResult(config.modelName(), config.task(), outcome.chosen().family().label(), config.rounds(),
                    Metrics.mean(cv.accuracies()), Metrics.std(cv.accuracies()), Metrics.mean(cv.macroF1s()),
                    foldAccuracies, metrics, baselines, described, new ArrayList<>(outcome.inputs()), featureSource,
                    graph.userCount(), labelled, written[0], 0, config.write(), (exported - t0) / 1_000_000,
                    (trained - exported) / 1_000_000, (end - trained) / 1_000_000, outcome.millisPerEpoch());
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
            List<Map<String, Object>> chosen = cv.rounds().stream().map(r -> r.baselineChoices().get(e.getKey()))
                    .filter(java.util.Objects::nonNull).map(CrossValidation.Choice::toMap).toList();
            if (!chosen.isEmpty()) {
                b.put("chosenPerFold", chosen);
            }
            out.put(e.getKey(), b);
        }
        return out;
    }

    /**
     * Applies a saved model to the users that have no region (new users), using the labels of those that have one
     * as inputs. Writes the predictions when {@code write} is set.
     */
    public List<RegionPrediction> predict(Transaction tx, String modelName, boolean write, String userQuery)
            throws IOException {
        StoredModel stored = catalog.describe(modelName);
        if (!stored.task().equals(TrainConfig.REGION)) {
            throw new IllegalArgumentException("Model '" + modelName + "' is a '" + stored.task() + "' model; predict applies region models");
        }
        cancellation.run();
        GraphSnapshot graph = GraphExporter.export(tx, userQuery, stored.inputs().contains("artists"));
        cancellation.run();
        int[] regions = graph.regions();
        boolean[] labelled = new boolean[regions.length];
        List<Integer> targets = new ArrayList<>();
        for (int u = 0; u < regions.length; u++) {
            labelled[u] = regions[u] >= 0;
            if (!labelled[u]) {
                targets.add(u);
            }
        }
        int classes = stored.classes();
        float[] p;
        try (Loaded loaded = load(catalog, stored, graph)) {
            p = RegionFit.probabilities(loaded.network(), loaded.tensors(),
                    loaded.inputs().tensors(loaded.tensors(), regions, labelled), stored.refinement());
        }
        cancellation.run();
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
                    stored.runId(), WRITE_BATCH, cancellation);
        }
        log.accept(String.format("lastfm.gnn.predict %s: %d users without a region predicted%s", modelName, users.length,
                write ? " and written" : ""));
        return rows;
    }

    /** A saved region model restored over a graph, with the tensors it reads; closing frees them. */
    public record Loaded(NDManager manager, GraphTensors tensors, RegionInputs inputs, RegionNetwork network)
            implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    /** Restores a region model over {@code graph}, refusing a graph whose inputs do not match the model's. */
    public static Loaded load(ModelCatalog catalog, StoredModel stored, GraphSnapshot graph) throws IOException {
        if (!stored.task().equals(TrainConfig.REGION)) {
            throw new IllegalArgumentException("Model '" + stored.name() + "' is a '" + stored.task()
                    + "' model; this needs a region model");
        }
        RegionInputs inputs = new RegionInputs(graph, new LinkedHashSet<>(stored.inputs()), stored.classes());
        ModelShape shape = stored.bodyShape();
        if (graph.classCount() > stored.classes()) {
            throw new IllegalArgumentException("Model '" + stored.name() + "' knows " + stored.classes()
                    + " regions; this graph has region ids up to " + (graph.classCount() - 1) + ". Retrain it on this graph.");
        }
        if (shape != null || stored.scripted()) {
            int dense = RegionNetwork.bodyInputWidth(stored.readsLabels(), stored.classes(), inputs.ownWidth());
            int sparse = inputs.usesArtists() ? graph.artistCount() : 0;
            if (dense != stored.denseInputs() || sparse != stored.sparseInputs()) {
                throw new IllegalArgumentException("Model '" + stored.name() + "' was trained on inputs " + stored.inputs()
                        + " of width " + stored.denseInputs() + "+" + stored.sparseInputs() + " artists; this graph gives "
                        + dense + "+" + sparse + ". Retrain it on this graph.");
            }
        }
        NDManager manager = Engines.newCpuManager();
        try {
            GraphTensors tensors = new GraphTensors(manager, graph, inputs.usesArtists());
            RegionNetwork network;
            if (stored.scripted()) {
                network = new RegionNetwork(stored.model(), ScriptedBody.load(manager, catalog.script(stored.name())),
                        stored.readsLabels(), stored.classes(), RegionNetwork.UNKNOWN_HOPS);
            } else {
                network = new RegionNetwork(manager, stored.family(), stored.readsLabels(), shape, stored.classes(), 0);
                network.restore(catalog.weights(stored.name()));
            }
            return new Loaded(manager, tensors, inputs, network);
        } catch (RuntimeException e) {
            manager.close(); // nothing of a failed restore stays behind
            throw e;
        }
    }
}

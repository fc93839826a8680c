package org.lastfmgnn.service;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
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
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.training.ArtistCrossValidation;
import org.lastfmgnn.training.HyperParameters;
import org.lastfmgnn.training.MemoryEstimate;
import org.lastfmgnn.training.TrainConfig;
import org.lastfmgnn.writeback.EmbeddingWriter;
import org.lastfmgnn.writeback.RecommendationWriter;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * Artist recommendation against a database: export, k-fold training and evaluation against the baselines, and
 * each user's out-of-fold top-k written as RECOMMENDED relationships.
 */
public final class ArtistModelService {
    private static final int WRITE_BATCH = 20_000;

    private final GraphDatabaseService db;
    private final ModelCatalog catalog;
    private final Consumer<String> log;
    private final Runnable cancellation;

    /** @param cancellation throws when the work must stop (the procedure's termination guard) */
    public ArtistModelService(GraphDatabaseService db, ModelCatalog catalog, Consumer<String> log, Runnable cancellation) {
        this.db = db;
        this.catalog = catalog;
        this.log = log;
        this.cancellation = cancellation;
    }

    public TrainResult train(Transaction tx, TrainConfig config) throws java.io.IOException {
        try (TrainingLock lock = TrainingLock.acquire("lastfm.gnn.train " + config.modelName(), config.modelName())) {
            long t0 = System.nanoTime();
            GraphSnapshot graph = GraphExporter.export(tx, config.userQuery());
            if (graph.likes().length == 0) {
                throw new IllegalArgumentException("lastfm.gnn.train: task 'artists' needs LIKES in the graph; load them with "
                        + "CALL lastfm.load({features: 'auto'|'synthetic'|'<file>'})");
            }
            Device device = config.tensorDevice();
            lock.reserve(MemoryEstimate.of(graph, config), device);
            long exported = System.nanoTime();
            HyperParameters hp = config.artistHp();
            ModelShape shape = ArtistCrossValidation.shape(config.architecture(), hp, graph.artistCount());
            ArtistCrossValidation.Result result;
            try (NDManager manager = Engines.newManager(device);
                 Workers workers = new Workers(config.concurrency());
                 ProgressTracker progress = ProgressTracker.start("lastfm.gnn.train " + config.modelName(), config.rounds(), log, cancellation)) {
                result = new ArtistCrossValidation(graph, shape, hp, config.rounds(), config.randomSeed(), config.batchSize(),
                        config.topK(), progress, workers).run(manager);
            }
            long trained = System.nanoTime();
            Map<String, Object> metrics = new LinkedHashMap<>(result.model().toMap());
            Map<String, Object> hamming = new LinkedHashMap<>();
            hamming.put("model", result.hammingModel());
            hamming.put("allZeros", result.hammingAllZeros());
            metrics.put("hamming", hamming);
            metrics.put("folds", config.rounds());
            Map<String, Object> baselines = new LinkedHashMap<>();
            result.baselines().forEach((name, report) -> baselines.put(name, report.toMap()));
            metrics.put("baselines", baselines);
            Map<String, Object> described = new LinkedHashMap<>(hp.toMap());
            described.put("randomSeed", config.randomSeed());
            described.put("topK", config.topK());
            described.put("batchSize", config.batchSize());
            described.put("threads", org.lastfmgnn.model.Engines.threads());
            described.put("device", device.toString());
            described.put("concurrency", config.concurrency());
            List<String> inputs = List.of("artists", "structure");
            String runId = java.util.UUID.randomUUID().toString();
            StoredModel stored = new StoredModel(StoredModel.FORMAT_VERSION, config.modelName(), runId, config.task(),
                    config.model(), shape.architecture().label(), shape.denseInputs(), shape.sparseInputs(), shape.hidden(),
                    shape.heads(), shape.classes(), shape.inputDropout(), shape.dropout(), inputs, false, 0, 0, 0,
                    described, metrics, graph.featureSource(), ZonedDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                    StoredModel.LAYERS);
            long[] written = new long[2];
            if (config.write()) {
                catalog.commit(stored, result.weights(), () -> {
                    written[0] = EmbeddingWriter.write(db, graph.nodeIds(), result.embeddings(), result.embeddingSize(),
                            "tasteEmbedding", WRITE_BATCH);
                    written[1] = RecommendationWriter.write(db, graph.nodeIds(), graph.artistNodeIds(), result.recommended(),
                            result.recommendedScores(), config.modelName(), WRITE_BATCH);
                });
            }
            long end = System.nanoTime();
            log.accept(String.format("lastfm.gnn.train %s (artists, %s features): NDCG@20 %.4f, baselines %s",
                    config.modelName(), graph.featureSource(), result.model().ndcgAt20(), baselines));
            return new TrainResult(config.modelName(), config.task(), config.model(), config.rounds(), null, null,
                    null, List.of(), metrics, baselines, described, new ArrayList<>(inputs), graph.featureSource(),
                    graph.userCount(), graph.userCount(), written[0], written[1], config.write(), (exported - t0) / 1_000_000,
                    (trained - exported) / 1_000_000, (end - trained) / 1_000_000, result.millisPerEpoch());
        }
    }
}

package org.lastfmgnn.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureFile;
import org.lastfmgnn.dataset.ImportDirectory;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.dataset.ScaledDataset;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.loading.EmptyStoreImport;
import org.lastfmgnn.server.EmbeddedServer;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.training.MemoryEstimate;
import org.lastfmgnn.training.Sampling;
import org.lastfmgnn.training.TrainConfig;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * One size of the growth series, in a process of its own so that its peak memory is its own: generate the graph
 * ({@code factor} x LastFM), write it into a fresh store with Neo4j's importer ({@link EmptyStoreImport}), start a
 * server on it and validate it through lastfm.load, export it, time GCN
 * epochs with the default inputs and with the likes as inputs. Writes {@code result.json} in its folder. The
 * likes-as-inputs epoch is skipped, with the reason, when the training's memory estimate does not fit.
 * <p>Arguments: factor, base data folder, work folder, seed, and optionally {@code mini-batch}: only the likes
 * model, trained in mini-batches ({@link #MINI_BATCH}, one step timed per epoch of two batches' users), first in its
 * process. On the CPU whatever the machine has: the series checks the estimate against this process's resident
 * memory, which a GPU's tensors are not part of.
 */
public final class ScaleRun {
    /** The mini-batch setting measured beside full batch: 512 seeds a step, 10 friendships per user and hop. */
    static final Sampling MINI_BATCH = new Sampling(512, new int[] {10, 10});

    private ScaleRun() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable failure) { // OutOfMemoryError included: the parent records the exit and this log
            failure.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the server is closed; do not wait on the engine's non-daemon threads
    }

    private static void run(String[] args) throws Exception {
        int factor = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        Path work = Path.of(args[2]);
        long seed = Long.parseLong(args[3]);
        // the default model and the likes model full batch (the growth series), or only the likes model in
        // mini-batches: memory an earlier training freed and the allocator kept would hide part of a later one's growth
        boolean miniBatch = args.length > 4 && args[4].equals("mini-batch");
        Map<String, Object> result = new LinkedHashMap<>();
        long runPeak = 0; // the whole run's peak resident size, kept across the resets around the epochs
        LastFmDataset base = DatasetReader.read(data, data.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC);
        Path imports = work.resolve("import");
        long t = System.nanoTime();
        ScaledDataset.write(base, factor, 0.1, seed, imports);
        result.put("factor", factor);
        result.put("generateMillis", (System.nanoTime() - t) / 1_000_000);
        // the store is new: Neo4j's importer writes it as the launcher's first load does, lastfm.load then validates
        EmptyStoreImport importer = new EmptyStoreImport(work);
        if (importer.prepare()) {
            ImportDirectory directory = new ImportDirectory(imports);
            FeatureFile file = FeatureFile.choose(ScaledDataset.LIKES_FILE, directory.root(), directory);
            EmptyStoreImport.Result imported = importer.run(DatasetReader.read(directory.root(), file.path(), file.source()),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            result.put("importMillis", imported.millis());
            result.put("importRelationshipsPerSecond", Math.round(imported.relationshipsPerSecond()));
        }
        try (EmbeddedServer server = EmbeddedServer.start(new EmbeddedServer.Settings(work, imports, EmbeddedServer.freePort(), EmbeddedServer.freePort(),
                "1g"), "scale-run-" + seed)) {
            GraphDatabaseService db = server.database();
            Map<String, Object> load = db.executeTransactionally("CALL lastfm.load({features: $file})",
                    Map.of("file", ScaledDataset.LIKES_FILE), r -> r.next());
            long users = ((Number) load.get("users")).longValue();
            long friendships = ((Number) load.get("friendships")).longValue();
            long likes = ((Number) load.get("likes")).longValue();
            result.put("users", users);
            result.put("relationships", friendships + likes);
            result.put("featureSource", load.get("featureSource"));
            result.put("loadMillis", load.get("loadMillis")); // after an import: lastfm.load's validation
            result.put("relationshipsCreatedByLoad", load.get("relationshipsCreated"));
            result.put("relationshipsPerSecond", load.get("relationshipsPerSecond"));
            GraphSnapshot graph = null;
            double[] export = new double[3];
            for (int i = 0; i < export.length; i++) {
                long start = System.nanoTime();
                try (Transaction tx = db.beginTx()) {
                    graph = GraphExporter.export(tx, null, true);
                }
                export[i] = (System.nanoTime() - start) / 1e6;
            }
            result.put("exportMillis", EpochTimer.median(export));
            // train.estimate beside the measured growth of the resident size while the epochs run (their tensors,
            // the label signals, Adam); the estimate is for a whole training, so it should not be below
            runPeak = Machine.peakRssMb();
            long rssBefore;
            if (!miniBatch) {
                // one training at a time, as measured here (a run's rounds side by side hold one each)
                MemoryEstimate gcn = MemoryEstimate.of(users, friendships, graph.artistCount(), likes, graph.classCount(),
                        TrainConfig.parse(Map.of("concurrency", 1L)));
                rssBefore = Machine.resetPeakRssMb();
                result.put("gcnEpochMillis", EpochTimer.medianEpochMillis(graph, Device.cpu(), RegionFamily.GCN, false, 2, 5, seed));
                result.put("gcnRssGrowthMb", Machine.peakRssMb() - rssBefore);
                result.put("gcnEstimateNativeMb", gcn.nativeBytes() >> 20);
                result.put("gcnEstimateMb", gcn.bytesMin() >> 20);
            }
            if (miniBatch) {
                // lastfm.gnn.train's batchSize and fanouts: one batch's subgraph and its likes per step instead of the
                // whole graph's backward
                Map<String, Object> config = Map.of("inputs", List.of("labels", "structure", "artists"),
                        "batchSize", (long) MINI_BATCH.batchSize(), "fanouts", List.of(10L, 10L), "concurrency", 1L);
                MemoryEstimate sampled = MemoryEstimate.of(graph, TrainConfig.parse(config));
                result.put("miniBatch", config);
                result.put("miniBatchEstimateMinMb", sampled.bytesMin() >> 20);
                result.put("miniBatchEstimateNativeMb", sampled.nativeBytes() >> 20);
                try {
                    sampled.requireFits();
                    runPeak = Math.max(runPeak, Machine.peakRssMb());
                    rssBefore = Machine.resetPeakRssMb();
                    long heapBefore = Machine.heapCommittedMb();
                    result.put("miniBatchStepMillisArtists", EpochTimer.medianStepMillis(graph, Device.cpu(), RegionFamily.GCN, true,
                            MINI_BATCH, 1, 3, seed));
                    result.put("miniBatchRssGrowthMb", Machine.peakRssMb() - rssBefore);
                    result.put("miniBatchHeapGrowthMb", Machine.heapCommittedMb() - heapBefore);
                } catch (IllegalStateException refused) {
                    result.put("miniBatchRefused", refused.getMessage());
                }
            } else {
                MemoryEstimate estimate = MemoryEstimate.of(users, friendships, graph.artistCount(), likes,
                        graph.classCount(), TrainConfig.parse(Map.of("inputs", List.of("labels", "structure", "artists"),
                        "concurrency", 1L)));
                result.put("artistsEstimateMb", estimate.bytesMax() >> 20);
                result.put("artistsEstimateNativeMb", estimate.nativeBytes() >> 20);
                result.put("artistsEstimateMinMb", estimate.bytesMin() >> 20);
                try {
                    estimate.requireFits();
                    runPeak = Math.max(runPeak, Machine.peakRssMb());
                    rssBefore = Machine.resetPeakRssMb();
                    long heapBefore = Machine.heapCommittedMb();
                    result.put("gcnEpochMillisArtists", EpochTimer.medianEpochMillis(graph, Device.cpu(), RegionFamily.GCN, true, 2, 5, seed));
                    result.put("artistsRssGrowthMb", Machine.peakRssMb() - rssBefore);
                    result.put("artistsHeapGrowthMb", Machine.heapCommittedMb() - heapBefore);
                } catch (IllegalStateException refused) {
                    result.put("gcnEpochMillisArtists", null);
                    result.put("artistsRefused", refused.getMessage());
                }
            }
        }
        result.put("peakRssMb", Math.max(runPeak, Machine.peakRssMb()));
        new ObjectMapper().writeValue(work.resolve("result.json").toFile(), result);
    }
}

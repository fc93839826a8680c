package org.lastfmgnn.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.training.ArtistCrossValidation;
import org.lastfmgnn.training.HyperParameters;
import org.lastfmgnn.training.TrainConfig;

/**
 * Artist recommendation on the SYNTHETIC likes without a database (the training code {@code lastfm.gnn.train
 * ({task: 'artists'})} runs): the model and every baseline on the same held-out users, as JSON.
 * <p>Arguments: data folder, then the train config as JSON (e.g. {"task": "artists", "randomSeed": 42}).
 */
public final class ArtistStudy {
    private ArtistStudy() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        @SuppressWarnings("unchecked")
        Map<String, Object> config = args.length > 1 ? new ObjectMapper().readValue(args[1], Map.class) : Map.of("task", "artists");
        TrainConfig parsed = TrainConfig.parse(config);
        GraphSnapshot g = Snapshots.of(DatasetReader.read(data, data.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC));
        HyperParameters hp = parsed.artistHp();
        ArtistCrossValidation.Result r;
        try (NDManager manager = Engines.newManager(parsed.tensorDevice());
             org.lastfmgnn.graph.Workers workers = new org.lastfmgnn.graph.Workers(parsed.concurrency());
             ProgressTracker progress = ProgressTracker.start("artists", parsed.rounds(), System.err::println)) {
            r = new ArtistCrossValidation(g, ArtistCrossValidation.shape(parsed.architecture(), hp, g.artistCount()), hp,
                    parsed.rounds(), parsed.randomSeed(), parsed.batchSize(), parsed.topK(), progress, workers).run(manager);
        }
        System.out.println("model (SYNTHETIC likes) " + r.model().toMap());
        r.baselines().forEach((name, report) -> System.out.println(name + " " + report.toMap()));
        r.blendWeights().forEach(w -> System.out.println("blend weights " + Arrays.toString(w)));
        System.out.printf("epochs %s, %.1f ms/epoch%n", Arrays.toString(r.selectedEpochs()), r.millisPerEpoch());
        System.exit(0);
    }
}

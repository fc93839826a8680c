package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.TestNeo4j;

/** Artist recommendation on the synthetic likes, without a database: for tuning (-Pbenchmarks). */
@Tag("benchmark")
class ArtistExperimentTest {
    @Test
    void experiment() throws IOException {
        GraphSnapshot g = Snapshots.of(DatasetReader.read(TestNeo4j.DATA,
                TestNeo4j.DATA.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC));
        int[] hidden = java.util.Arrays.stream(System.getProperty("hidden", "64,64").split(",")).mapToInt(Integer::parseInt).toArray();
        HyperParameters hp = new HyperParameters(Double.parseDouble(System.getProperty("lr", "0.01")),
                Double.parseDouble(System.getProperty("wd", "0")), hidden, Integer.getInteger("epochs", 60), 4,
                Double.parseDouble(System.getProperty("dropout", "0.2")), 20, 0);
        Architecture arch = Architecture.of(System.getProperty("arch", "gcn"));
        try (NDManager manager = Engines.pytorch().newBaseManager();
             ProgressTracker progress = ProgressTracker.start("artists", 5, System.out::println)) {
            ArtistCrossValidation.Result r = new ArtistCrossValidation(g, ArtistCrossValidation.shape(arch, hp, g.artistCount()),
                    hp, Integer.getInteger("folds", 5), 42, Integer.getInteger("batch", 512), 20, progress).run(manager);
            System.out.printf("RESULT %s %s model %s%n  popularity %s%n  friends %s%n  hamming %.4f allZeros %.4f epochs %s %.1f ms/epoch%n",
                    arch, hp, r.model().toMap(), r.baselines().get("popularity").toMap(), r.baselines().get("friends").toMap(),
                    r.hammingModel(), r.hammingAllZeros(), java.util.Arrays.toString(r.selectedEpochs()), r.millisPerEpoch());
        }
    }
}

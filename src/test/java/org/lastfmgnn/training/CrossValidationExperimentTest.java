package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.TestNeo4j;

@Tag("benchmark")
class CrossValidationExperimentTest {
    @Test
    void experiment() throws IOException {
        GraphSnapshot g = Snapshots.of(DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE));
        String arch = System.getProperty("arch", "gcn");
        int[] hidden = java.util.Arrays.stream(System.getProperty("hidden", "64").split(",")).mapToInt(Integer::parseInt).toArray();
        int epochs = Integer.getInteger("epochs", 200);
        double lr = Double.parseDouble(System.getProperty("lr", "0.01"));
        double dropout = Double.parseDouble(System.getProperty("dropout", "0.5"));
        HyperParameters hp = new HyperParameters(lr, Double.parseDouble(System.getProperty("wd", "5e-4")), hidden, epochs, Integer.getInteger("heads", 4), dropout, 50, Double.parseDouble(System.getProperty("smooth", "0.5")));
        try (NDManager manager = Engines.pytorch().newBaseManager();
             ProgressTracker progress = ProgressTracker.start("cv", 5, System.out::println)) {
            CrossValidation cv = new CrossValidation(g, new RegionInputs(g, Set.of("labels", "structure"), 18),
                    Architecture.of(arch), List.of(hp), 5, 42, false, progress);
            CrossValidation.Result r = cv.run(manager);
            System.out.printf("RESULT " + System.getProperties().getProperty("hidden") + " " + lr + " " + dropout + " %s accuracy %.4f +- %.4f f1 %.4f baselines %s%n", arch, Metrics.mean(r.accuracies()),
                    Metrics.std(r.accuracies()), Metrics.mean(r.macroF1s()),
                    r.baselineAccuracies().entrySet().stream().map(e -> e.getKey() + "=" + String.format("%.4f", Metrics.mean(e.getValue()))).toList());
        }
    }
}

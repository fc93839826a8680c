package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.testing.TestNeo4j;

/** Each epoch's tensors are freed with the epoch: the live tensors after 40 epochs are those after 2. */
class TensorMemoryTest {
    @Test
    void liveTensorsDoNotGrowWithEpochs() throws IOException {
        GraphSnapshot g = Snapshots.of(DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE));
        for (RegionFamily family : new RegionFamily[] {RegionFamily.GCN, RegionFamily.GAT, RegionFamily.LABEL_FEATURE_MLP}) {
            assertThat(liveAfter(g, family, 40)).as(family.label()).isEqualTo(liveAfter(g, family, 2));
        }
    }

    private static int liveAfter(GraphSnapshot g, RegionFamily family, int epochs) {
        RegionInputs inputs = new RegionInputs(g, Set.of("labels", "structure"), g.classCount());
        HyperParameters hp = new HyperParameters(0.01, 5e-4, new int[] {8}, epochs, 2, 0.2, 0.5, epochs);
        int[] regions = g.regions();
        int[] fit = new int[3000];
        int[] validation = new int[1000];
        for (int i = 0; i < fit.length; i++) {
            fit[i] = i;
        }
        for (int i = 0; i < validation.length; i++) {
            validation[i] = fit.length + i;
        }
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, g, false);
             RegionNetwork model = new RegionNetwork(manager, family, true, CrossValidation.shape(family, hp, inputs, 0),
                     g.classCount(), 1)) {
            RegionFit.Outcome outcome = RegionFit.fit(model, tensors, inputs, regions, fit, validation, hp, 1, null);
            assertThat(outcome.epochsRun()).isEqualTo(epochs);
            int live = manager.getManagedArrays().size();
            assertThat(live).as("graph tensors and parameters are counted").isGreaterThan(model.parameters().size());
            return live;
        }
    }
}

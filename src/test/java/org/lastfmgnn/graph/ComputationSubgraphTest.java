package org.lastfmgnn.graph;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.Refinement;
import org.lastfmgnn.testing.TestNeo4j;
import org.lastfmgnn.training.CrossValidation;
import org.lastfmgnn.training.RegionFit;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.TrainConfig;

/**
 * A user's served output on its computation subgraph (radius: the label signals, the body's layers and the
 * refinement's steps) is its output on the whole graph: the explainer may use either.
 */
class ComputationSubgraphTest {
    private static GraphSnapshot graph;

    private static GraphSnapshot graph() throws IOException {
        if (graph == null) {
            graph = Snapshots.of(DatasetReader.read(TestNeo4j.DATA, TestNeo4j.DATA.resolve(DatasetFiles.SYNTHETIC_FEATURES),
                    FeatureSource.SYNTHETIC));
        }
        return graph;
    }

    @ParameterizedTest
    @EnumSource(value = RegionFamily.class, names = {"GCN", "GAT", "LABEL_FEATURE_MLP", "LABEL_PROPAGATION"})
    void theUsersOutputIsTheSameOnItsSubgraph(RegionFamily family) throws IOException {
        GraphSnapshot g = graph();
        Set<String> kinds = Set.of("labels", "structure", "artists");
        RegionInputs inputs = new RegionInputs(g, kinds, g.classCount());
        boolean[] isInput = new boolean[g.userCount()];
        for (int u = 0; u < isInput.length; u++) {
            isInput[u] = u % 3 != 0 && g.regions()[u] >= 0;
        }
        // smoothing reaches as far as its steps; (the correct step's autoscale is a mean over all known users, so
        // a model that corrects is explained on the whole graph and not tested here)
        Refinement refinement = family == RegionFamily.GCN || family == RegionFamily.LABEL_PROPAGATION
                ? new Refinement(0, 0.8, 2) : Refinement.NONE;
        var hp = family.body() == null ? null : TrainConfig.defaults(family);
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors whole = new GraphTensors(manager, g, true);
             RegionNetwork model = new RegionNetwork(manager, family, family.readsLabels(),
                     hp == null ? null : CrossValidation.shape(family, hp, inputs, g.artistCount()), g.classCount(), 3)) {
            float[] all = RegionFit.probabilities(model, whole, inputs.tensors(whole, g.regions(), isInput), refinement);
            int hops = model.bodyHops() + refinement.hops();
            int lowestDegree = 0;
            for (int u = 0; u < g.userCount(); u++) {
                lowestDegree = g.degree(u) < g.degree(lowestDegree) ? u : lowestDegree;
            }
            for (int user : new int[] {g.indexOf(1005), g.indexOf(0), lowestDegree}) {
                ComputationSubgraph sub = ComputationSubgraph.of(g, user, hops);
                boolean[] subInput = new boolean[sub.graph().userCount()];
                for (int i = 0; i < subInput.length; i++) {
                    subInput[i] = isInput[sub.users()[i]];
                }
                RegionInputs subInputs = new RegionInputs(sub.graph(), kinds, g.classCount(), sub.degrees());
                try (GraphTensors part = new GraphTensors(manager, sub.graph(), true, sub.degrees())) {
                    float[] mine = RegionFit.probabilities(model, part, subInputs.tensors(part, sub.graph().regions(), subInput),
                            refinement);
                    int at = sub.index(user);
                    for (int c = 0; c < g.classCount(); c++) {
                        assertThat(mine[at * g.classCount() + c]).as("%s user %d class %d", family, user, c)
                                .isCloseTo(all[user * g.classCount() + c], org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
            }
        }
    }
}

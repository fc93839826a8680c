package org.lastfmgnn.explain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.testing.TestNeo4j;
import org.lastfmgnn.training.RegionInputs;

/** A user's output on its computation subgraph is its output on the whole graph: the explainer may use either. */
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
    @EnumSource(Architecture.class)
    void theUsersOutputIsTheSameOnItsSubgraphAndItIsSmall(Architecture architecture) throws IOException {
        GraphSnapshot g = graph();
        RegionInputs inputs = new RegionInputs(g, Set.of("labels", "structure", "artists"), g.classCount());
        boolean[] isInput = new boolean[g.userCount()];
        for (int u = 0; u < isInput.length; u++) {
            isInput[u] = u % 3 != 0;
        }
        float[] features = inputs.dense(g.regions(), isInput);
        int width = inputs.denseWidth();
        ModelShape shape = new ModelShape(architecture, width, g.artistCount(), new int[] {16}, 2, g.classCount(), 0.5);
        int hops = architecture == Architecture.MLP ? 0 : 2;
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors whole = new GraphTensors(manager, g, true);
             NodeClassifier model = new NodeClassifier(manager, shape, 3)) {
            float[] all = model.forward(whole, whole.dense(features, width), false).toFloatArray();
            int highestDegree = 0;
            for (int u = 0; u < g.userCount(); u++) {
                highestDegree = g.degree(u) > g.degree(highestDegree) ? u : highestDegree;
            }
            for (int user : new int[] {g.indexOf(1005), g.indexOf(0), highestDegree}) {
                ComputationSubgraph sub = ComputationSubgraph.of(g, user, hops);
                assertThat(sub.graph().userCount()).isLessThan(g.userCount() / 2);
                try (GraphTensors part = new GraphTensors(manager, sub.graph(), true, sub.degrees())) {
                    float[] mine = model.forward(part, part.dense(sub.rows(features, width), width), false).toFloatArray();
                    int at = sub.index(user);
                    for (int c = 0; c < g.classCount(); c++) {
                        assertThat(mine[at * g.classCount() + c]).as("user %d class %d", user, c)
                                .isCloseTo(all[user * g.classCount() + c], org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
            }
        }
    }
}

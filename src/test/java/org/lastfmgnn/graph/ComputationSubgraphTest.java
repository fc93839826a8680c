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
 * refinement's steps) is its output on the whole graph: the explainer may use either. A mini-batch's seeds have
 * their whole-graph logits on their subgraph, and sampling keeps what its fanouts say.
 */
class ComputationSubgraphTest {
    private static final Set<String> KINDS = Set.of("labels", "structure", "artists");
    private static GraphSnapshot graph;

    /** Labels as inputs for two users in three: the third are the ones predicted. */
    private static boolean[] everyThirdLabelHidden(GraphSnapshot g) {
        boolean[] isInput = new boolean[g.userCount()];
        for (int u = 0; u < isInput.length; u++) {
            isInput[u] = u % 3 != 0 && g.regions()[u] >= 0;
        }
        return isInput;
    }

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
        RegionInputs inputs = new RegionInputs(g, KINDS, g.classCount());
        boolean[] isInput = everyThirdLabelHidden(g);
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
                RegionInputs subInputs = new RegionInputs(sub.graph(), KINDS, g.classCount(), sub.degrees());
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

    /**
     * A mini-batch's subgraph: with every friendship kept, each seed's logits on it (the label signals read from the
     * whole graph, as training reads them) are its logits on the whole graph.
     */
    @ParameterizedTest
    @EnumSource(value = RegionFamily.class, names = {"GCN", "GAT"})
    void seedsOfABatchHaveTheirWholeGraphLogitsOnTheirSubgraph(RegionFamily family) throws IOException {
        GraphSnapshot g = graph();
        RegionInputs inputs = new RegionInputs(g, KINDS, g.classCount());
        boolean[] isInput = everyThirdLabelHidden(g);
        int[] seeds = new int[64];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = (i * 7919) % g.userCount();
        }
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors whole = new GraphTensors(manager, g, true);
             RegionNetwork model = new RegionNetwork(manager, family, true,
                     CrossValidation.shape(family, TrainConfig.defaults(family), inputs, g.artistCount()), g.classCount(), 3)) {
            var input = inputs.tensors(whole, g.regions(), isInput).withHops(whole);
            float[] all = model.logits(whole, input, false).toFloatArray();
            ComputationSubgraph sub = ComputationSubgraph.of(g, seeds, model.layerHops());
            assertThat(sub.graph().userCount()).isLessThan(g.userCount());
            boolean[] subInput = new boolean[sub.users().length];
            for (int i = 0; i < subInput.length; i++) {
                subInput[i] = isInput[sub.users()[i]];
            }
            try (GraphTensors part = new GraphTensors(manager, sub, true)) {
                var subIn = inputs.on(sub).tensors(part, sub.graph().regions(), subInput)
                        .withHops(input.hops().get(whole.indices(sub.users())), part);
                float[] mine = model.logits(part, subIn, false).toFloatArray();
                int c = g.classCount();
                for (int seed : seeds) {
                    int at = sub.index(seed);
                    for (int k = 0; k < c; k++) {
                        assertThat(mine[at * c + k]).as("%s seed %d class %d", family, seed, k)
                                .isCloseTo(all[seed * c + k], org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
            }
        }
    }

    /** Sampling keeps at most the fanout per user and hop, scales what is kept up to the degree, and is seeded. */
    @org.junit.jupiter.api.Test
    void samplingKeepsAtMostTheFanoutAndScalesTheMessagesUp() throws IOException {
        GraphSnapshot g = graph();
        int[] seeds = {g.indexOf(1005), g.indexOf(0), 17, 4242};
        int[] fanouts = {3, 2};
        ComputationSubgraph a = ComputationSubgraph.sampled(g, seeds, fanouts, new java.util.Random(5));
        ComputationSubgraph b = ComputationSubgraph.sampled(g, seeds, fanouts, new java.util.Random(5));
        assertThat(a.users()).containsExactly(b.users());
        assertThat(a.graph().friends()).containsExactly(b.graph().friends());
        GraphSnapshot s = a.graph();
        java.util.Set<Integer> seedSet = new java.util.HashSet<>();
        for (int seed : seeds) {
            seedSet.add(seed);
            assertThat(a.index(seed)).isNotNegative();
        }
        int sampledUsers = 0;
        for (int i = 0; i < s.userCount(); i++) {
            int u = a.users()[i];
            int kept = s.degree(i);
            int limit = seedSet.contains(u) ? fanouts[0] : fanouts[1];
            assertThat(kept).as("user %d keeps", u).isLessThanOrEqualTo(Math.min(limit, g.degree(u)));
            assertThat(a.degrees()[i]).isEqualTo(g.degree(u));
            if (kept > 0) {
                sampledUsers++;
                assertThat(a.messageScale()[i]).isEqualTo((float) g.degree(u) / kept);
                for (int k = s.friendOffsets()[i]; k < s.friendOffsets()[i + 1]; k++) {
                    int v = a.users()[s.friends()[k]];
                    assertThat(java.util.Arrays.stream(g.friends(), g.friendOffsets()[u], g.friendOffsets()[u + 1]))
                            .as("a kept friendship is a friendship").contains(v);
                }
            }
        }
        // seeds and their sampled friends receive messages; nobody beyond two hops is in the subgraph
        assertThat(sampledUsers).isGreaterThanOrEqualTo(seeds.length).isLessThanOrEqualTo(seeds.length * (1 + fanouts[0]));
        assertThat(s.userCount()).isLessThanOrEqualTo(seeds.length * (1 + fanouts[0] + fanouts[0] * fanouts[1]));
        ComputationSubgraph other = ComputationSubgraph.sampled(g, seeds, fanouts, new java.util.Random(6));
        assertThat(other.graph().friends()).as("another seed draws other friendships").isNotEqualTo(s.friends());
        // a fanout at least every degree keeps everything: the exact subgraph
        int maxDegree = 0;
        for (int u = 0; u < g.userCount(); u++) {
            maxDegree = Math.max(maxDegree, g.degree(u));
        }
        ComputationSubgraph all = ComputationSubgraph.sampled(g, seeds, new int[] {maxDegree, maxDegree}, new java.util.Random(5));
        ComputationSubgraph exact = ComputationSubgraph.of(g, seeds, 2);
        assertThat(all.users()).containsExactly(exact.users());
        assertThat(all.graph().friends()).containsExactly(exact.graph().friends());
        for (float f : exact.messageScale()) {
            assertThat(f).isEqualTo(1f);
        }
    }
}

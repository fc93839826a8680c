package org.lastfmgnn.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.testing.LastFmGraph;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.Gradients;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.model.ScriptedBody;

/**
 * Our bodies written as TorchScript archives (without Python) and loaded back by libtorch: on the LastFM graph the
 * module's logits equal our layers' to the bit, and an edge mask's gradient reaches the module's edge_weight.
 */
class BodyScriptTest {
    private static final GraphSnapshot LASTFM = LastFmGraph.withoutLikes();

    @Test
    void gcnGatAndMlpBodiesRoundTripToTheBit() throws IOException {
        for (Architecture architecture : Architecture.values()) {
            int n = LASTFM.userCount();
            ModelShape shape = new ModelShape(architecture, 5, 0, new int[] {16, 8}, 3, 18, 0.2, 0.5);
            try (NDManager m = Engines.pytorch().newBaseManager();
                 GraphTensors g = new GraphTensors(m, LASTFM, false);
                 NodeClassifier ours = new NodeClassifier(m, shape, 11)) {
                NDArray x = features(m, n, 5);
                float[] expected = ours.forward(g, x, false).toFloatArray();
                byte[] archive = TorchScriptArchive.bytes(BodyScript.of(ours, "Body", Map.of("note.txt", new byte[] {1})));
                try (ScriptedBody scripted = ScriptedBody.load(m, archive)) {
                    float[] actual = scripted.forward(g, x, false).toFloatArray();
                    assertThat(actual).as(architecture.label()).isEqualTo(expected);
                }
                assertThat(TorchScriptArchive.extraFile(archive, "note.txt")).hasValueSatisfying(
                        b -> assertThat(b).containsExactly(1));
            }
        }
    }

    /**
     * A module's caller (PyTorch Geometric, DGL) passes edge_index in its own order; our GAT kernels sum each
     * receiver's messages in a CSR order, which the module makes by sorting: the same logits, up to the order of the
     * sums, for the edges reversed and shuffled.
     */
    @Test
    void aModuleReadsItsEdgesInAnyOrder() throws Exception {
        for (Architecture architecture : new Architecture[] {Architecture.GCN, Architecture.GAT}) {
            int n = LASTFM.userCount();
            ModelShape shape = new ModelShape(architecture, 5, 0, new int[] {16}, 4, 18, 0, 0);
            try (NDManager m = Engines.pytorch().newBaseManager();
                 GraphTensors g = new GraphTensors(m, LASTFM, false);
                 NodeClassifier ours = new NodeClassifier(m, shape, 13)) {
                NDArray x = features(m, n, 5);
                float[] expected = ours.forward(g, x, false).toFloatArray();
                int e = g.edgeCount();
                long[] order = new long[e];
                for (int i = 0; i < e; i++) {
                    order[i] = e - 1 - i;
                }
                Random random = new Random(17);
                for (int i = e - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    long swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
                NDArray permutation = m.create(order);
                NDArray edgeIndex = g.source().get(permutation).stack(g.target().get(permutation));
                byte[] archive = TorchScriptArchive.bytes(BodyScript.of(ours, "Body", Map.of()));
                try (NDManager owner = Engines.pytorch().newBaseManager()) {
                    PtSymbolBlock module = JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive),
                            true, false);
                    float[] actual = IValueUtils.forward(module, new NDList(x, edgeIndex, m.ones(new Shape(e))), false)
                            .singletonOrThrow().toFloatArray();
                    double largest = 0;
                    double difference = 0;
                    for (int i = 0; i < expected.length; i++) {
                        largest = Math.max(largest, Math.abs(expected[i]));
                        difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
                    }
                    assertThat(largest).as(architecture.label()).isGreaterThan(1e-2);
                    assertThat(difference).as(architecture.label()).isLessThan(1e-5 * largest);
                }
            }
        }
    }

    /** The explainer's edge mask travels through edge_weight: the same gradient on every edge as through our layers. */
    @Test
    void anEdgeMaskGetsTheSameGradientThroughTheModule() throws Exception {
        for (Architecture architecture : new Architecture[] {Architecture.GCN, Architecture.GAT}) {
            maskGradientsAgree(new ModelShape(architecture, 5, 0, new int[] {16}, 2, 18, 0, 0));
        }
    }

    private static void maskGradientsAgree(ModelShape shape) throws Exception {
        int n = LASTFM.userCount();
        try (NDManager m = Engines.pytorch().newBaseManager();
             GraphTensors g = new GraphTensors(m, LASTFM, false);
             NodeClassifier ours = new NodeClassifier(m, shape, 3)) {
            NDArray x = features(m, n, 5);
            byte[] archive = TorchScriptArchive.bytes(BodyScript.of(ours, "Body", Map.of()));
            try (ScriptedBody scripted = ScriptedBody.load(m, archive)) {
                float[] viaOurs = maskGradient(m, g, x, (graph, input) -> ours.forward(graph, input, false));
                float[] viaModule = maskGradient(m, g, x, (graph, input) -> scripted.forward(graph, input, false));
                double largest = 0;
                double difference = 0;
                for (int e = 0; e < viaOurs.length; e++) {
                    largest = Math.max(largest, Math.abs(viaOurs[e]));
                    difference = Math.max(difference, Math.abs(viaOurs[e] - viaModule[e]));
                }
                assertThat(largest).as(shape.architecture().label()).isGreaterThan(1e-4);
                // two summation orders (our incidence product, the module's sparse product): equal up to rounding
                assertThat(difference).as(shape.architecture().label()).isLessThan(1e-5 * largest);
            }
        }
    }

    @Test
    void likesBodiesAreNotWrittenAndSaySo() {
        try (NDManager m = Engines.pytorch().newBaseManager();
             NodeClassifier likes = new NodeClassifier(m, new ModelShape(Architecture.GCN, 5, 40, new int[] {8}, 1, 18, 0, 0), 1)) {
            assertThatThrownBy(() -> BodyScript.of(likes, "Body", Map.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("read the artist likes");
        }
    }

    @Test
    void whatIsNotTorchScriptIsRefusedWithTheReason() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            assertThatThrownBy(() -> ScriptedBody.load(m, "not a zip".getBytes()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a TorchScript module libtorch can load");
            assertThatThrownBy(() -> TorchScriptArchive.extraFile("not a zip".getBytes(), "x"))
                    .isInstanceOf(IOException.class).hasMessageContaining("not a zip archive");
        }
    }

    private interface Forward {
        NDArray apply(GraphTensors graph, NDArray input);
    }

    private static float[] maskGradient(NDManager m, GraphTensors g, NDArray x, Forward forward) throws Exception {
        NDArray mask = m.full(new Shape(g.edgeCount()), 0.7f);
        mask.setRequiresGradient(true);
        try (GradientCollector collector = Gradients.collector()) {
            NDArray logits = forward.apply(g.withEdgeMask(mask), x);
            collector.backward(logits.get("0:50").logSoftmax(1).get(":, 3").sum());
        }
        return mask.getGradient().toFloatArray();
    }

    private static NDArray features(NDManager m, int n, int width) {
        Random random = new Random(5);
        float[] values = new float[n * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return m.create(values, new Shape(n, width));
    }
}

package org.lastfmgnn.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A region body that is a TorchScript module trained elsewhere (PyTorch Geometric, DGL, plain PyTorch) or written
 * by {@code lastfm.gnn.export.model}, applied here as a function of the graph:
 * <pre>
 *   forward(x:           Tensor [N x F] float32  the body input (label signals, own inputs), as our bodies read it
 *           edge_index:  Tensor [2 x E] int64    every message edge, row 0 its source and row 1 its target (PyG's
 *                                                flow): both directions of each friendship and one self-loop per user
 *           edge_weight: Tensor [E] float32      1 per edge, or an explainer's mask (gradients flow into it))
 *     -> Tensor [N x C] float32                  logits
 * </pre>
 * The module runs in eval mode (its dropout off). It is not trained here: {@link #parameters()} is empty. It owns
 * the module and closes it.
 */
public final class ScriptedBody implements RegionBody {
    private final NDManager manager;
    private final PtSymbolBlock module;

    private ScriptedBody(NDManager manager, PtSymbolBlock module) {
        this.manager = manager;
        this.module = module;
    }

    /**
     * Loads a TorchScript archive; an {@link IllegalArgumentException} saying why when libtorch cannot, or when the
     * module has no {@code forward}.
     */
    public static ScriptedBody load(NDManager parent, byte[] archive) {
        NDManager manager = parent.newSubManager();
        try {
            PtSymbolBlock module = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive), true, false);
            JniUtils.enableInferenceMode(module);
            if (!Arrays.asList(JniUtils.getMethodNames(module)).contains("forward")) {
                throw new IllegalArgumentException("the TorchScript module has no forward method");
            }
            return new ScriptedBody(manager, module);
        } catch (EngineException | IOException e) {
            manager.close();
            // no cause attached: Neo4j shows a procedure's root cause, which would hide this sentence
            throw new IllegalArgumentException("not a TorchScript module libtorch can load: " + reason(e.getMessage()));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public NDArray forward(GraphTensors graph, NDArray features, boolean training) {
        if (training) {
            throw new IllegalStateException("a scripted body is applied here, not trained");
        }
        NDManager scope = features.getManager();
        NDArray edgeIndex = graph.source().stack(graph.target());
        edgeIndex.attach(scope); // made from the graph's tensors, it would otherwise live as long as the graph
        NDArray weight = graph.edgeMask() != null ? graph.edgeMask().reshape(-1)
                : scope.ones(new ai.djl.ndarray.types.Shape(graph.edgeCount()));
        NDList out;
        try {
            // grad mode as around the call: an explainer's mask gets its gradient, a prediction records nothing
            out = IValueUtils.forward(module, new NDList(features, edgeIndex, weight), true);
        } catch (EngineException e) {
            throw new IllegalArgumentException("the TorchScript module's forward(x, edge_index, edge_weight) failed on "
                    + "x " + features.getShape() + ", edge_index " + edgeIndex.getShape() + ": " + reason(e.getMessage()));
        }
        if (out.size() != 1) {
            out.close();
            throw new IllegalArgumentException("the TorchScript module's forward returned " + out.size()
                    + " tensors; it must return the logits [N x C]");
        }
        NDArray logits = out.singletonOrThrow();
        logits.attach(scope);
        return logits;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public List<GatPropagation> attentionLayers() {
        return List.of();
    }

    /** A module computes what it needs (e.g. degrees) from the edges it is given: only the whole graph is exact. */
    @Override
    public boolean exactOnComputationSubgraph() {
        return false;
    }

    @Override
    public void close() {
        module.close();
        manager.close();
    }

    /** libtorch's own sentence: the last line of its message (the first is a banner, the middle a traceback). */
    private static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        List<String> lines = message.strip().lines().filter(l -> !l.isBlank()).toList();
        String line = lines.get(lines.size() - 1).strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

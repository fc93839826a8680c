package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A region model of any {@link RegionFamily}, as one differentiable function of the graph and the inputs:
 * <pre>
 *   body input  = [LabelHops(labels) if the family reads labels | own inputs]      [N x denseInputs]
 *   logits      = body(body input), GCN / GAT / MLP layers                          [N x C]
 *   base        = softmax(logits), or all zeros without a body (label propagation)  [N x C]
 *   served      = smooth(correct(base)) with the {@link Refinement}, rows normalised [N x C]
 * </pre>
 * Every step that crosses an edge goes through {@link GraphTensors#propagate}, so an explainer's edge mask, or
 * an edge removed for fidelity, reaches everything that travels along it. The body's parameters live in a
 * manager the network owns: closing it frees them.
 */
public final class RegionNetwork implements AutoCloseable {
    /** Message-passing hops of a body that does not say (a scripted one): more than any graph's diameter. */
    public static final int UNKNOWN_HOPS = 1 << 16;
    private final String label;
    private final boolean readsLabels;
    private final int classes;
    private final RegionBody body;
    private final int hops;

    /**
     * A network of one of our families, its body built from {@code bodyShape} (untrained, seeded).
     *
     * @param readsLabels whether the body reads the label signals (the family can, and the inputs include labels)
     * @param bodyShape   the body's shape, or null for label propagation
     */
    public RegionNetwork(NDManager parent, RegionFamily family, boolean readsLabels, ModelShape bodyShape, int classes,
                         long seed) {
        this(family.label(), family.body() == null ? null : new NodeClassifier(parent, bodyShape, seed), readsLabels,
                classes, bodyShape == null ? 0 : family.bodyHops(bodyShape.hidden().length));
    }

    /**
     * A network around a given body (e.g. a {@link ScriptedBody}), which it owns from now on.
     *
     * @param body     the body, or null for none (label propagation)
     * @param bodyHops message-passing hops of the body, label signals not counted; {@link #UNKNOWN_HOPS} if unknown
     */
    public RegionNetwork(String label, RegionBody body, boolean readsLabels, int classes, int bodyHops) {
        this.label = label;
        this.body = body;
        this.readsLabels = readsLabels;
        this.classes = classes;
        this.hops = bodyHops;
    }

    /** Dense input width of the body for these own inputs. */
    public static int bodyInputWidth(boolean readsLabels, int classes, int ownWidth) {
        int width = (readsLabels ? LabelHops.width(classes) : 0) + ownWidth;
        return Math.max(width, 1);
    }

    /** The body's logits [N x C]; a network without a body has none. */
    public NDArray logits(GraphTensors graph, RegionInput input, boolean training) {
        if (body == null) {
            throw new IllegalStateException(label + " has no trained body");
        }
        return body.forward(graph, bodyInput(graph, input), training);
    }

    /** Base predictions [N x C]: the body's softmax, or zeros. */
    public NDArray base(GraphTensors graph, RegionInput input) {
        if (body == null) {
            return input.labels().zerosLike();
        }
        return logits(graph, input, false).softmax(1);
    }

    /** What is served: base, corrected and smoothed by {@code refinement}, each row normalised [N x C]. */
    public NDArray probabilities(GraphTensors graph, RegionInput input, Refinement refinement) {
        return refine(graph, base(graph, input), input, refinement);
    }

    /** {@code refinement} applied to given base predictions, rows normalised. */
    public static NDArray refine(GraphTensors graph, NDArray base, RegionInput input, Refinement refinement) {
        NDArray p = base;
        if (refinement.correction() > 0) {
            p = CorrectAndSmooth.correct(graph, p, input.labels(), input.known(), refinement.correction(), refinement.steps());
        }
        if (refinement.smoothing() > 0) {
            p = CorrectAndSmooth.smooth(graph, p, input.labels(), input.known(), refinement.smoothing(), refinement.steps());
        }
        return p == base ? p : normalise(p);
    }

    /** A refined prediction as probabilities: negative parts dropped, rows summing to 1 (empty rows stay 0). */
    public static NDArray normalise(NDArray p) {
        NDArray positive = p.maximum(Tensors.scalar(p.getManager(), 0f));
        return positive.div(positive.sum(new int[] {1}, true).maximum(Tensors.scalar(p.getManager(), 1e-12f)));
    }

    private NDArray bodyInput(GraphTensors graph, RegionInput input) {
        NDList parts = new NDList();
        if (readsLabels) {
            parts.add(input.hopsOn(graph));
        }
        if (input.own() != null) {
            parts.add(input.own());
        }
        if (parts.isEmpty()) {
            return input.known().onesLike();
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    public boolean readsLabels() {
        return readsLabels;
    }

    public int classes() {
        return classes;
    }

    /** Message-passing hops of the body's own layers (label signals not counted). */
    public int layerHops() {
        return hops;
    }

    /** Message-passing hops of the body (label signals included). */
    public int bodyHops() {
        return hops + (readsLabels ? 2 : 0);
    }

    /** Whether a user's output on its computation subgraph is its output on the whole graph (see {@link RegionBody}). */
    public boolean exactOnComputationSubgraph() {
        return body == null || body.exactOnComputationSubgraph() && hops < UNKNOWN_HOPS;
    }

    public List<Parameter> parameters() {
        return body == null ? List.of() : body.parameters();
    }

    /** The attention layers, first to last (empty unless GAT). */
    public List<GatPropagation> attentionLayers() {
        return body == null ? List.of() : body.attentionLayers();
    }

    public float[][] snapshot() {
        return Parameter.snapshot(parameters());
    }

    public void restore(float[][] values) {
        Parameter.restore(new ArrayList<>(parameters()), values);
    }

    @Override
    public void close() {
        if (body != null) {
            body.close();
        }
    }
}

package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The learned part of a {@link RegionNetwork}: body input [N x F] -> logits [N x C] over the graph's message edges.
 * Ours ({@link NodeClassifier}) is built from layers and trained here; a {@link ScriptedBody} is a TorchScript
 * module trained elsewhere and only applied here.
 */
public interface RegionBody extends AutoCloseable {
    /** Logits [N x C] for the body input {@code features} [N x F]; every message goes through {@code graph}. */
    NDArray forward(GraphTensors graph, NDArray features, boolean training);

    /** What training updates (nothing for a body that is not trained here). */
    List<Parameter> parameters();

    /** The attention layers, first to last (empty unless GAT). */
    List<GatPropagation> attentionLayers();

    /**
     * Whether the output on a user's computation subgraph (outer users keeping their whole-graph degree) equals the
     * output on the whole graph: true for bodies that read degrees from {@link GraphTensors}, false for a body that
     * derives what it needs from the edges it is given.
     */
    boolean exactOnComputationSubgraph();

    @Override
    void close();
}

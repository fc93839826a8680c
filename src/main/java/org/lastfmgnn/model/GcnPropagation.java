package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;

/** Kipf and Welling's propagation: D^-1/2 (A + I) D^-1/2 x ([N x F] -> [N x F]), edge mask included. */
public final class GcnPropagation implements Layer {
    @Override
    public NDArray forward(GraphTensors graph, NDArray x, boolean training) {
        return graph.propagate(GraphTensors.Adjacency.GCN, x);
    }
}

package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;

/**
 * Kipf and Welling's propagation: D^-1/2 (A + I) D^-1/2 x, one sparse product. With an edge mask the same sum
 * is taken message by message (incidence x (weight * mask * x[source])), because gradients do not flow into the
 * values of a sparse matrix but do flow into dense messages.
 */
public final class GcnPropagation implements Layer {
    @Override
    public NDArray forward(GraphTensors graph, NDArray x, boolean training) {
        if (graph.edgeMask() == null) {
            return graph.normalizedAdjacency().matMul(x);
        }
        NDArray scale = graph.edgeWeights().mul(graph.edgeMask()).expandDims(1);
        return graph.incidence().matMul(x.get(graph.source()).mul(scale));
    }
}

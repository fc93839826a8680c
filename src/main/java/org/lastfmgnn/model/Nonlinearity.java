package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** ReLU (GCN, MLP) or ELU (GAT, as in its paper). */
public enum Nonlinearity implements Layer {
    RELU,
    ELU;

    @Override
    public NDArray forward(GraphTensors graph, NDArray x, boolean training) {
        return this == RELU ? Activation.relu(x) : Activation.elu(x, 1f);
    }
}

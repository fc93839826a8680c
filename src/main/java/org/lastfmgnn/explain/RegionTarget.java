package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.NodeClassifier;

/** A user's region prediction: the log-probability of the class the model predicts. */
public record RegionTarget(NodeClassifier model, int user, int region) implements GnnExplainer.Target {
    @Override
    public NDArray logProbability(GraphTensors graph, NDArray features) {
        return model.forward(graph, features, false).get(user).logSoftmax(0).get(region);
    }
}

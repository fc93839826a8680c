package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** One step of a model: a small block with its own parameters, composed by {@link NodeClassifier}. */
public interface Layer {
    NDArray forward(GraphTensors graph, NDArray x, boolean training);

    default List<Parameter> parameters() {
        return List.of();
    }
}

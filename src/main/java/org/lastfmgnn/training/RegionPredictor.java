package org.lastfmgnn.training;

import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.NodeClassifier;

/**
 * How a trained region model predicts: features from the labels of the input users, one forward pass without
 * dropout, then (if configured) smoothing with those same labels. Used for validation, test folds, the final
 * model and {@code lastfm.gnn.predict}, so all four predict the same way.
 */
public final class RegionPredictor {
    private final GraphSnapshot graph;
    private final RegionInputs inputs;
    private final GraphTensors tensors;
    private final NodeClassifier model;
    private final double smoothing;

    public RegionPredictor(GraphSnapshot graph, RegionInputs inputs, GraphTensors tensors, NodeClassifier model,
                           double smoothing) {
        this.graph = graph;
        this.inputs = inputs;
        this.tensors = tensors;
        this.model = model;
        this.smoothing = smoothing;
    }

    /** Probabilities [N x classes]; only the labels of {@code isInput} users are read. */
    public float[] probabilities(int[] regions, boolean[] isInput) {
        float[] p = ClassifierFit.probabilities(model, tensors, inputs.dense(regions, isInput), inputs.denseWidth());
        if (smoothing > 0) {
            int classes = model.shape().classes();
            p = LabelSignals.smooth(graph, p, regions, isInput, classes, smoothing, 10);
            normalise(p, classes);
        }
        return p;
    }

    private static void normalise(float[] p, int classes) {
        for (int row = 0; row < p.length; row += classes) {
            float sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += p[row + c];
            }
            if (sum > 0) {
                for (int c = 0; c < classes; c++) {
                    p[row + c] /= sum;
                }
            }
        }
    }
}

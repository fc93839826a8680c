package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.lastfmgnn.model.GatPropagation;
import org.lastfmgnn.model.GraphTensors;

/**
 * What an explainer explains: one user's served output as a function of the graph's message edges and of the
 * user's own inputs. Implementations run the whole model (label signals, message passing, refinement), so a
 * masked edge takes away everything that travels along it.
 */
public interface ExplainedPrediction {
    /** The tensors the prediction runs on (the whole graph, or the user's computation subgraph). */
    GraphTensors graph();

    /** The explained user's index in {@link #graph()}. */
    int user();

    /** The class (region, or artist) whose probability is explained. */
    int explainedClass();

    /**
     * The user's output probabilities with every message scaled by {@code edgeMask} ([E], null: none), without
     * gradients. For a classifier the argmax is the prediction.
     */
    float[] probabilities(float[] edgeMask);

    /**
     * Row i: the user's output probabilities with message edge {@code edges[i]} alone removed (as
     * {@link #probabilities} with that one edge masked), without gradients: what occlusion needs.
     */
    float[][] probabilitiesWithoutEach(int[] edges);

    /**
     * log p(explained class), differentiable in the masks: {@code edgeMask} [E] scales messages,
     * {@code featureMask} [F] the user's own inputs ({@link #featureNames()}), {@code artistMask} [A] the artist
     * inputs of {@link #artists()}; null leaves that part as it is.
     */
    NDArray logProbability(NDArray edgeMask, NDArray featureMask, NDArray artistMask);

    /** Names of the user's own inputs that a feature mask covers: only those the user has (non-zero). */
    List<String> featureNames();

    /** Artist indexes an artist mask covers (empty when the model reads no artists). */
    int[] artists();

    /** Whether the output is a class among several (region) rather than one score (an artist). */
    boolean isClassifier();

    /** The model's attention layers, first to last (empty unless GAT). */
    List<GatPropagation> attentionLayers();
}

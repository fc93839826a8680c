package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.lastfmgnn.model.GatPropagation;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.RegionInput;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.Refinement;
import org.lastfmgnn.model.Tensors;
import org.lastfmgnn.training.Metrics;
import org.lastfmgnn.training.RegionInputs;

/**
 * A user's served region prediction: the network with its refinement, every other labelled user's region as an
 * input and the user's own hidden (it is what is predicted). The feature mask covers the user's own non-zero
 * dense inputs.
 */
public final class RegionExplained extends UserPrediction {
    private final RegionNetwork network;
    private final RegionInput input;
    private final Refinement refinement;
    private final int predicted;
    private final int[] featureColumns;
    private final List<String> featureNames;
    private final int ownWidth;

    /** @param manager owns the inputs built here; the caller closes it */
    public RegionExplained(NDManager manager, RegionNetwork network, GraphTensors graph, RegionInputs inputs,
                           int[] regions, int user, Refinement refinement) {
        super(graph, user);
        this.network = network;
        this.refinement = refinement;
        boolean[] isInput = new boolean[regions.length];
        for (int u = 0; u < regions.length; u++) {
            isInput[u] = regions[u] >= 0 && u != user;
        }
        RegionInput in = inputs.tensors(graph, regions, isInput);
        for (NDArray a : new NDArray[] {in.labels(), in.known(), in.own()}) {
            if (a != null) {
                a.attach(manager);
            }
        }
        this.input = in;
        this.ownWidth = inputs.ownWidth();
        float[] own = inputs.own();
        List<Integer> columns = new ArrayList<>();
        featureNames = new ArrayList<>();
        for (int j = 0; j < ownWidth; j++) {
            if (own[user * ownWidth + j] != 0) {
                columns.add(j);
                featureNames.add(inputs.ownFeatureNames().get(j));
            }
        }
        featureColumns = columns.stream().mapToInt(Integer::intValue).toArray();
        float[] p = probabilities(null);
        this.predicted = Metrics.argmax(p, 0, p.length);
    }

    @Override
    public int explainedClass() {
        return predicted;
    }

    @Override
    protected float[][] outputOn(GraphTensors g, int copies) {
        RegionInput in = new RegionInput(repeated(input.labels(), copies), repeated(input.known(), copies),
                repeated(input.own(), copies));
        return rows(network.probabilities(g, in, refinement).get(userRows(g, copies)).toFloatArray(), copies);
    }

    @Override
    public NDArray logProbability(NDArray edgeMask, NDArray featureMask, NDArray artistMask) {
        GraphTensors g = masked(edgeMask);
        if (artistMask != null) {
            throw new IllegalArgumentException("region models read no artist mask here");
        }
        RegionInput in = input;
        if (featureMask != null && featureColumns.length > 0) {
            // own' = own * (1 + rowOfUser x (mask - 1) spread over the user's non-zero columns)
            float[] spread = new float[featureColumns.length * ownWidth];
            for (int i = 0; i < featureColumns.length; i++) {
                spread[i * ownWidth + featureColumns[i]] = 1;
            }
            NDArray columnScale = featureMask.sub(1f).reshape(1, -1)
                    .matMul(Tensors.of(graph().manager(), spread, new Shape(featureColumns.length, ownWidth)));
            float[] row = new float[graph().nodeCount()];
            row[user()] = 1;
            NDArray scale = Tensors.of(graph().manager(), row, new Shape(graph().nodeCount(), 1)).matMul(columnScale).add(1f);
            in = input.withOwn(input.own().mul(scale));
        }
        NDArray p = network.probabilities(g, in, refinement).get(user()).get(predicted);
        return p.maximum(Tensors.scalar(p.getManager(), 1e-12f)).log();
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    @Override
    public int[] artists() {
        return new int[0];
    }

    @Override
    public boolean isClassifier() {
        return true;
    }

    @Override
    public List<GatPropagation> attentionLayers() {
        return network.attentionLayers();
    }

    /** Runs an unmasked evaluation pass, so that the attention layers hold this graph's attention. */
    public void recordAttention() {
        probabilities(null);
    }
}

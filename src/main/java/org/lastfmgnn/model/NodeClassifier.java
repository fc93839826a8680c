package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A node classifier as a sequence of {@link Layer}s, built from a {@link ModelShape}. Its parameters live in one
 * manager that the classifier owns: closing it frees the model's native memory.
 */
public final class NodeClassifier implements RegionBody {
    private final ModelShape shape;
    private final NDManager manager;
    private final List<Layer> layers = new ArrayList<>();

    public NodeClassifier(NDManager parent, ModelShape shape, long seed) {
        this.shape = shape;
        this.manager = parent.newSubManager();
        Random random = new Random(seed);
        SplittableRandom dropoutSeeds = new SplittableRandom(seed); // apart from the weights' draws
        int in = shape.denseInputs();
        int sparse = shape.sparseInputs();
        int[] hidden = shape.hidden();
        for (int i = 0; i <= hidden.length; i++) {
            boolean last = i == hidden.length;
            String name = "layer" + i;
            layers.add(new Dropout(i == 0 ? shape.inputDropout() : shape.dropout(), dropoutSeeds.nextLong()));
            switch (shape.architecture()) {
                case MLP, GCN -> {
                    int out = last ? shape.classes() : hidden[i];
                    layers.add(new Linear(manager, name, random, in, out, sparse));
                    if (shape.architecture() == Architecture.GCN) {
                        layers.add(new GcnPropagation());
                    }
                    if (!last) {
                        layers.add(Nonlinearity.RELU);
                    }
                    in = out;
                }
                case GAT -> {
                    int heads = last ? 1 : shape.heads();
                    int width = last ? shape.classes() : hidden[i];
                    layers.add(new Linear(manager, name, random, in, heads * width, sparse));
                    layers.add(new GatPropagation(manager, name + ".attention", random, heads, width, !last));
                    if (!last) {
                        layers.add(Nonlinearity.ELU);
                    }
                    in = heads * width;
                }
            }
            sparse = 0; // only the first layer reads the artists
        }
    }

    /** Logits [N x classes]. */
    @Override
    public NDArray forward(GraphTensors graph, NDArray features, boolean training) {
        return forward(graph, features, null, training);
    }

    /** Logits [N x classes], the artist likes of the rows where {@code artistRows} is 0 hidden from the input. */
    public NDArray forward(GraphTensors graph, NDArray features, NDArray artistRows, boolean training) {
        NDArray x = features;
        boolean first = true;
        for (Layer layer : layers) {
            if (first && layer instanceof Linear linear) {
                x = linear.forward(graph, x, artistRows, training);
                first = false;
            } else {
                x = layer.forward(graph, x, training);
            }
        }
        return x;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.parameters());
        }
        return all;
    }

    /** The attention layers, first to last (empty unless GAT). */
    @Override
    public List<GatPropagation> attentionLayers() {
        return layers.stream().filter(GatPropagation.class::isInstance).map(GatPropagation.class::cast).toList();
    }

    public float[][] snapshot() {
        return Parameter.snapshot(parameters());
    }

    public void restore(float[][] values) {
        Parameter.restore(parameters(), values);
    }

    public ModelShape shape() {
        return shape;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public boolean exactOnComputationSubgraph() {
        return true;
    }

    /** The layers in order, for writing the classifier in another form (TorchScript). */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    @Override
    public void close() {
        manager.close();
    }
}

package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;

/** A trainable tensor with a name (the optimizer keys its state by it). Owned by the model's manager. */
public final class Parameter {
    private final String name;
    private final NDArray array;

    private Parameter(String name, NDArray array) {
        this.name = name;
        this.array = array;
        array.setRequiresGradient(true);
    }

    /** Glorot-uniform weights from a seeded generator: the same seed, the same model. */
    public static Parameter glorot(NDManager manager, String name, Random random, long fanIn, long fanOut, Shape shape) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return new Parameter(name, Tensors.of(manager, values, shape));
    }

    /** A parameter holding {@code values} (a copy). */
    public static Parameter of(NDManager manager, String name, float[] values, Shape shape) {
        return new Parameter(name, Tensors.of(manager, values, shape));
    }

    public static Parameter zeros(NDManager manager, String name, Shape shape) {
        return new Parameter(name, manager.zeros(shape));
    }

    public static Parameter constant(NDManager manager, String name, Shape shape, float value) {
        return new Parameter(name, manager.full(shape, value));
    }

    public String name() {
        return name;
    }

    public NDArray array() {
        return array;
    }

    public float[] values() {
        return array.toFloatArray();
    }

    /**
     * Zeroes this parameter's accumulated gradient in place. DJL's GradientCollector.zeroGradients() walks every
     * array of the engine, including those other threads are closing right then; this touches only ours.
     */
    public void zeroGradient() {
        if (array.hasGradient()) {
            try (NDArray gradient = array.getGradient()) {
                gradient.muli(0);
            }
        }
    }

    public static void zeroGradients(List<Parameter> params) {
        for (Parameter p : params) {
            p.zeroGradient();
        }
    }

    /**
     * Overwrites the values in place (restoring the best epoch, loading a saved model). Not through
     * {@code NDArray.set}: DJL's copy into a tensor runs under PyTorch's deprecated AutoNonVariableTypeMode and
     * PyTorch prints a warning to the user's console for it; an in-place product and sum on the tensor, while it
     * needs no gradient, writes the same values quietly.
     */
    public void set(float[] values) {
        try (NDArray source = Tensors.of(array.getManager(), values, array.getShape())) {
            array.setRequiresGradient(false);
            boolean finite;
            try (NDArray nonFinite = array.isNaN().logicalOr(array.isInfinite()); NDArray any = nonFinite.any()) {
                finite = !any.getBoolean();
            }
            if (finite) {
                array.muli(0).addi(source);
            } else {
                // a diverged step left NaN or infinity, where x * 0 stays NaN: copy (PyTorch may warn once)
                array.set(java.nio.FloatBuffer.wrap(values));
            }
            array.setRequiresGradient(true);
        }
    }

    /** The values of every parameter, in order: a copy that survives the tensors (best epoch, saving). */
    public static float[][] snapshot(List<Parameter> params) {
        float[][] values = new float[params.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(i).values();
        }
        return values;
    }

    public static void restore(List<Parameter> params, float[][] values) {
        if (values.length != params.size()) {
            throw new IllegalArgumentException("expected " + params.size() + " parameter tensors, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            params.get(i).set(values[i]);
        }
    }
}

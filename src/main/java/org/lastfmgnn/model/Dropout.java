package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;

/**
 * Inverted dropout, in training only: evaluation sees every unit (the study left it on; SEED.md flaw 4). Each mask
 * is {@code rand(shape) >= rate} drawn from libtorch's generator seeded from this layer's own stream of seeds
 * ({@link TorchGenerator}, on the calling thread), so a training's masks depend on its seed alone, whatever other
 * trainings in the JVM draw at the same time.
 */
public final class Dropout implements Layer {
    private final float rate;
    private final SplittableRandom seeds;

    /** @param seed this layer's stream: one seed per mask drawn */
    public Dropout(double rate, long seed) {
        this.rate = (float) rate;
        this.seeds = new SplittableRandom(seed);
    }

    @Override
    public NDArray forward(GraphTensors graph, NDArray x, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        TorchGenerator generator = new TorchGenerator(seeds.nextLong());
        float keepRate = 1 - rate;
        // a float mask, not a bool one: libtorch multiplies floats by a bool tensor through a per-element cast, in
        // the forward and again in the backward, 2-3 times slower than by floats (BENCHMARKS.md, "Dropout's masks
        // as floats"). Where x * (1 / keep) is x / keep to the bit, the mask carries that scale: one pass over x
        // each way instead of two (BENCHMARKS.md, "Dropout's scale in its mask")
        boolean scaled = exactReciprocal(keepRate);
        float kept = scaled ? 1 / keepRate : 1f;
        NDArray mask = Tensors.floats(x.getManager(), x.getShape(), flags -> generator.atLeast(rate, kept, flags));
        NDArray dropped = x.mul(mask);
        return scaled ? dropped : dropped.div(Tensors.scalar(x.getManager(), keepRate));
    }

    /**
     * Whether dividing by {@code keepRate} is multiplying by its reciprocal for every float: so when it is a power of
     * two (0.5 at the default rate), whose reciprocal is one too, and both scale a float exactly (a division by 0.8,
     * the input's default, rounds otherwise than a product with 1.25).
     */
    static boolean exactReciprocal(float keepRate) {
        return keepRate > 0 && keepRate == Math.scalb(1f, Math.getExponent(keepRate));
    }
}

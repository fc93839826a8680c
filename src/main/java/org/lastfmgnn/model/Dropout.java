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
        // a float mask, not a bool one: libtorch multiplies floats by a bool tensor through a per-element cast, in
        // the forward and again in the backward, 2-3 times slower than by floats (BENCHMARKS.md, "Dropout's masks
        // as floats"); x * 1 and x * 0 are the same floats either way
        NDArray keep = Tensors.floats(x.getManager(), x.getShape(), mask -> generator.atLeast(rate, mask));
        return x.mul(keep).div(Tensors.scalar(x.getManager(), 1 - rate));
    }
}

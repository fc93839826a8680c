package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;

/**
 * Inverted dropout, in training only: evaluation sees every unit (the study left it on; SEED.md flaw 4). Its masks
 * come from its own stream of seeds ({@link Engines#uniform}), so a training's masks depend on its seed alone,
 * whatever other trainings in the JVM draw at the same time.
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
        NDArray keep = Engines.uniform(x.getManager(), x.getShape(), seeds.nextLong()).gte(rate);
        return x.mul(keep).div(Tensors.scalar(x.getManager(), 1 - rate));
    }
}

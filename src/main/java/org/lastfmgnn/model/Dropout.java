package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;

/** Inverted dropout, in training only: evaluation sees every unit (the study left it on; SEED.md flaw 4). */
public final class Dropout implements Layer {
    private final float rate;

    public Dropout(double rate) {
        this.rate = (float) rate;
    }

    @Override
    public NDArray forward(GraphTensors graph, NDArray x, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(rate);
        return x.mul(keep).div(Tensors.scalar(x.getManager(), 1 - rate));
    }
}

package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;

/** Losses shared by the trainers. */
public final class Losses {
    private Losses() {
    }

    /**
     * Binary cross-entropy on logits, averaged over every element, in the stable form
     * {@code max(x, 0) - x y + log(1 + exp(-|x|))}.
     *
     * @param logits  [any shape]
     * @param targets 0 or 1, the shape of {@code logits}
     * @return a scalar
     */
    public static NDArray binaryCrossEntropy(NDArray logits, NDArray targets) {
        return logits.maximum(Tensors.scalar(logits.getManager(), 0f)).sub(logits.mul(targets))
                .add(logits.abs().neg().exp().add(1f).log()).mean();
    }
}

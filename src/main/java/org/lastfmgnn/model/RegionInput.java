package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;

/**
 * The inputs of one region prediction, as tensors of the graph's manager.
 *
 * @param labels [N x C] one-hot rows of the users whose label is an input, zero rows elsewhere
 * @param known  [N x 1] 1 for those users, 0 elsewhere
 * @param own    [N x F] each user's own dense inputs (structure), or null when there are none
 */
public record RegionInput(NDArray labels, NDArray known, NDArray own) {
    /** The same inputs with the own inputs scaled ([N x F] or broadcastable), for a feature mask. */
    public RegionInput withOwn(NDArray scaledOwn) {
        return new RegionInput(labels, known, scaledOwn);
    }
}

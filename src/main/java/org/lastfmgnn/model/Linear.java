package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * x W + b. The first layer may also read the sparse artist likes (likes W_a), so that the 3M-non-zero input
 * never becomes dense.
 */
public final class Linear implements Layer {
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter sparseWeight;

    public Linear(NDManager manager, String name, Random random, int in, int out, int sparseIn) {
        weight = Parameter.glorot(manager, name + ".weight", random, in, out, new Shape(in, out));
        bias = Parameter.zeros(manager, name + ".bias", new Shape(out));
        sparseWeight = sparseIn > 0
                ? Parameter.glorot(manager, name + ".artistWeight", random, sparseIn, out, new Shape(sparseIn, out))
                : null;
    }

    @Override
    public NDArray forward(GraphTensors graph, NDArray x, boolean training) {
        return forward(graph, x, null, training);
    }

    /**
     * @param artistRows [N x 1] of 1 (the user's likes are visible) or 0 (hidden), or null for all visible.
     *                   Zeroing a row of likes W is zeroing the row of likes: the hidden likes never enter.
     */
    public NDArray forward(GraphTensors graph, NDArray x, NDArray artistRows, boolean training) {
        NDArray out = x.matMul(weight.array()).add(bias.array());
        if (sparseWeight != null) {
            // an artist mask scales the weight rows: likes x diag(mask) x W, with gradients on the dense side
            NDArray weights = graph.artistMask() == null ? sparseWeight.array()
                    : sparseWeight.array().mul(graph.artistMask().expandDims(1));
            NDArray fromArtists = graph.artists().times(weights);
            out = out.add(artistRows == null ? fromArtists : fromArtists.mul(artistRows));
        }
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(weight, bias));
        if (sparseWeight != null) {
            all.add(sparseWeight);
        }
        return all;
    }
}

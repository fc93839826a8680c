package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;

/**
 * The inputs of one region prediction, as tensors of the graph's manager.
 *
 * @param labels    [N x C] one-hot rows of the users whose label is an input, zero rows elsewhere
 * @param known     [N x 1] 1 for those users, 0 elsewhere
 * @param own       [N x F] each user's own dense inputs (structure), or null when there are none
 * @param hops      {@link LabelHops#forward} of the labels on {@code hopsGraph}, computed once for inputs that many
 *                  passes read unchanged (a training's validation users, every epoch); null when not computed
 * @param hopsGraph the graph {@code hops} were computed on: any other graph (another mask) computes its own
 */
public record RegionInput(NDArray labels, NDArray known, NDArray own, NDArray hops, GraphTensors hopsGraph) {
    public RegionInput(NDArray labels, NDArray known, NDArray own) {
        this(labels, known, own, null, null);
    }

    /** The same inputs with the own inputs scaled ([N x F] or broadcastable), for a feature mask. */
    public RegionInput withOwn(NDArray scaledOwn) {
        return new RegionInput(labels, known, scaledOwn, hops, hopsGraph);
    }

    /** The same inputs with their label hops on {@code graph} computed now, in the current scope. */
    public RegionInput withHops(GraphTensors graph) {
        return new RegionInput(labels, known, own, LabelHops.forward(graph, labels), graph);
    }

    /**
     * The same inputs with label hops computed elsewhere: the rows, for {@code graph}'s users, of the hops on a
     * graph that contains it (a mini-batch's subgraph reads the whole graph's, so that it need not reach two hops
     * further for them).
     */
    public RegionInput withHops(NDArray givenHops, GraphTensors graph) {
        return new RegionInput(labels, known, own, givenHops, graph);
    }

    /** The label hops on {@code graph}: the ones computed for it, else computed now. */
    NDArray hopsOn(GraphTensors graph) {
        return hops != null && hopsGraph == graph ? hops : LabelHops.forward(graph, labels);
    }
}

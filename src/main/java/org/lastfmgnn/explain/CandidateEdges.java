package org.lastfmgnn.explain;

import org.lastfmgnn.graph.ComputationSubgraph;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;
import org.lastfmgnn.model.GraphTensors;

/**
 * The message edges an explanation chooses from: those (not self-loops) whose receiver lies within
 * {@code hops - 1} of the user, i.e. the edges a {@code hops}-layer message pass brings to the user. Edges farther
 * away still count in every forward pass (they are never removed), but are not offered as an explanation.
 */
public final class CandidateEdges {
    private CandidateEdges() {
    }

    /** Edge ids of {@code tensors} (built from {@code g}), ascending. */
    public static int[] of(GraphSnapshot g, GraphTensors tensors, int user, int hops) {
        int[] distance = ComputationSubgraph.distances(g, user, Math.max(0, hops - 1));
        IntList edges = new IntList();
        for (int e = 0; e < tensors.edgeCount(); e++) {
            int s = tensors.sourceIndex()[e];
            int t = tensors.targetIndex()[e];
            if (s != t && distance[t] <= hops - 1) {
                edges.add(e);
            }
        }
        return edges.toArray();
    }
}

package org.lastfmgnn.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lastfmgnn.graph.ComputationSubgraph;

/**
 * How a region body is trained: full batch (one step per epoch over the whole graph), or in mini-batches (GraphSAGE,
 * PyG's {@code NeighborLoader}): each epoch's loss targets are cut into batches of {@code batchSize} seeds, and each
 * batch is one step computed on its seeds' {@link ComputationSubgraph}, with at most {@code fanouts[h]} friendships
 * per user h hops out. Training then holds one batch's subgraph (its likes included) instead of the whole graph's;
 * validation and prediction still run on the whole graph, without gradients.
 *
 * @param batchSize seeds per step; 0: full batch
 * @param fanouts   friendships kept per user, by hop from the seeds ({@link ComputationSubgraph#ALL}: every one);
 *                  the last repeats for a body with more hops, and none given means every one
 */
public record Sampling(int batchSize, int[] fanouts) {
    public static final Sampling FULL_BATCH = new Sampling(0, new int[0]);

    public Sampling {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        for (int f : fanouts) {
            if (f < 1 && f != ComputationSubgraph.ALL) {
                throw new IllegalArgumentException("fanouts must be at least 1, or -1 for every friendship, got "
                        + Arrays.toString(fanouts));
            }
        }
        fanouts = fanouts.clone();
    }

    public boolean fullBatch() {
        return batchSize == 0;
    }

    /** The fanout of each of {@code hops} hops (label signals included). */
    public int[] fanouts(int hops) {
        int[] out = new int[hops];
        for (int h = 0; h < hops; h++) {
            out[h] = fanouts.length == 0 ? ComputationSubgraph.ALL : fanouts[Math.min(h, fanouts.length - 1)];
        }
        return out;
    }

    /** As reported: {batchSize, fanouts}, or {batchSize: 0} for full batch. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batchSize", batchSize);
        if (!fullBatch()) {
            m.put("fanouts", Arrays.stream(fanouts).boxed().toList());
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sampling s && batchSize == s.batchSize && Arrays.equals(fanouts, s.fanouts);
    }

    @Override
    public int hashCode() {
        return 31 * batchSize + Arrays.hashCode(fanouts);
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}

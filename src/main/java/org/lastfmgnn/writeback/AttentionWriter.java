package org.lastfmgnn.writeback;

import java.util.HashMap;
import java.util.Map;
import org.lastfmgnn.store.BatchedTransactions;
import org.lastfmgnn.store.GraphModel;
import org.lastfmgnn.training.RegionTraining;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;

/**
 * GAT attention on the stored friendships: for {@code (a)-[r:FRIEND]->(b)}, {@code r.attentionForward} is the
 * weight of a's message to b and {@code r.attentionBackward} of b's to a (means over heads), with the per-head
 * values in {@code attentionHeads} / {@code attentionBackwardHeads} and the model in {@code attentionModel};
 * each user's self-loop weight is {@code selfAttention}. Returns the properties written.
 */
@SuppressWarnings("deprecation") // internal node ids from the export are the write-back handle
public final class AttentionWriter {
    private AttentionWriter() {
    }

    public static long write(GraphDatabaseService db, long[] nodeIds, RegionTraining.Attention attention, String model,
                             int batchSize) {
        Map<Long, Integer> edgeOf = new HashMap<>(attention.source().length * 2);
        for (int e = 0; e < attention.source().length; e++) {
            edgeOf.put(((long) attention.source()[e] << 32) | attention.target()[e], e);
        }
        Map<Long, Integer> indexOf = new HashMap<>(nodeIds.length * 2);
        for (int u = 0; u < nodeIds.length; u++) {
            indexOf.put(nodeIds[u], u);
        }
        long written = 0;
        try (WriteTurn turn = WriteTurn.take(); BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (int u = 0; u < nodeIds.length; u++) {
                Node node = batches.tx().getNodeById(nodeIds[u]);
                Integer self = edgeOf.get(((long) u << 32) | u);
                node.setProperty("selfAttention", mean(attention, self));
                written++;
                int count = 1;
                try (var rels = node.getRelationships(Direction.OUTGOING, GraphModel.FRIEND)) {
                    for (Relationship r : rels) {
                        Integer v = indexOf.get(r.getEndNodeId());
                        if (v == null) {
                            continue; // outside the exported subgraph
                        }
                        Integer forward = edgeOf.get(((long) u << 32) | v);
                        Integer backward = edgeOf.get(((long) v << 32) | u);
                        r.setProperty("attentionForward", mean(attention, forward));
                        r.setProperty("attentionBackward", mean(attention, backward));
                        r.setProperty("attentionHeads", heads(attention, forward));
                        r.setProperty("attentionBackwardHeads", heads(attention, backward));
                        r.setProperty("attentionModel", model);
                        written += 5;
                        count += 5;
                    }
                }
                batches.done(count);
            }
        }
        return written;
    }

    private static double mean(RegionTraining.Attention a, int edge) {
        double sum = 0;
        for (int h = 0; h < a.heads(); h++) {
            sum += a.weights()[edge * a.heads() + h];
        }
        return sum / a.heads();
    }

    private static double[] heads(RegionTraining.Attention a, int edge) {
        double[] out = new double[a.heads()];
        for (int h = 0; h < a.heads(); h++) {
            out[h] = a.weights()[edge * a.heads() + h];
        }
        return out;
    }
}

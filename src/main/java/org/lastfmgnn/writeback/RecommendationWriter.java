package org.lastfmgnn.writeback;

import org.lastfmgnn.store.BatchedTransactions;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

/**
 * {@code (:User)-[:RECOMMENDED {score, rank, model}]->(:Artist)}: a model's recommendations replace that model's
 * earlier ones, and nothing else.
 */
@SuppressWarnings("deprecation") // internal node ids from the export are the write-back handle
public final class RecommendationWriter {
    public static final RelationshipType RECOMMENDED = RelationshipType.withName("RECOMMENDED");

    private RecommendationWriter() {
    }

    /**
     * @param recommended per user index, artist indexes best first (null: none)
     * @return relationships written
     */
    public static long write(GraphDatabaseService db, long[] userNodes, long[] artistNodes, int[][] recommended,
                             float[][] scores, String model, int batchSize) {
        deleteEarlier(db, userNodes, model, batchSize);
        long written = 0;
        try (WriteTurn turn = WriteTurn.take(); BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (int u = 0; u < userNodes.length; u++) {
                if (recommended[u] == null) {
                    continue;
                }
                Node user = batches.tx().getNodeById(userNodes[u]);
                for (int r = 0; r < recommended[u].length; r++) {
                    Relationship rel = user.createRelationshipTo(batches.tx().getNodeById(artistNodes[recommended[u][r]]), RECOMMENDED);
                    rel.setProperty("score", (double) scores[u][r]);
                    rel.setProperty("rank", (long) r + 1);
                    rel.setProperty("model", model);
                }
                written += recommended[u].length;
                batches.done(recommended[u].length);
            }
        }
        return written;
    }

    private static void deleteEarlier(GraphDatabaseService db, long[] userNodes, String model, int batchSize) {
        try (WriteTurn turn = WriteTurn.take(); BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (long userNode : userNodes) {
                Transaction tx = batches.tx();
                int deleted = 0;
                try (ResourceIterator<Relationship> rels = (ResourceIterator<Relationship>) tx.getNodeById(userNode)
                        .getRelationships(Direction.OUTGOING, RECOMMENDED).iterator()) {
                    while (rels.hasNext()) {
                        Relationship r = rels.next();
                        if (model.equals(r.getProperty("model", null))) {
                            r.delete();
                            deleted++;
                        }
                    }
                }
                batches.done(Math.max(1, deleted));
            }
        }
    }
}

package org.lastfmgnn.writeback;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;

/**
 * An explanation in the graph: {@code (:User)-[:INFLUENCES {importance, explainedUser, model}]->(:User)} along the
 * direction messages flow. Explaining a user again replaces that user's explanation, in one transaction.
 */
@SuppressWarnings("deprecation") // internal node ids from the export are the write-back handle
public final class InfluenceWriter {
    public static final RelationshipType INFLUENCES = RelationshipType.withName("INFLUENCES");

    private InfluenceWriter() {
    }

    /** @return relationships written */
    public static long write(GraphDatabaseService db, long explainedUserId, long[] sourceNodes, long[] targetNodes,
                             double[] importance, String model) {
        try (WriteTurn turn = WriteTurn.take(); Transaction tx = db.beginTx()) {
            try (var old = tx.findRelationships(INFLUENCES, "explainedUser", explainedUserId)) {
                old.forEachRemaining(Relationship::delete);
            }
            for (int i = 0; i < sourceNodes.length; i++) {
                Node source = tx.getNodeById(sourceNodes[i]);
                Relationship r = source.createRelationshipTo(tx.getNodeById(targetNodes[i]), INFLUENCES);
                r.setProperty("importance", importance[i]);
                r.setProperty("explainedUser", explainedUserId);
                r.setProperty("model", model);
            }
            tx.commit();
        }
        return sourceNodes.length;
    }
}

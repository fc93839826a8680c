package org.lastfmgnn.writeback;

import org.lastfmgnn.store.BatchedTransactions;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;

/**
 * Writes region predictions onto users in batches: {@code predictedRegion}, {@code predictedRegionProbability},
 * {@code regionProbabilities}, {@code predictionFold} (-1: predicted by the final model), {@code predictionModel}
 * and {@code predictionRun}. The run id is also on the model's (:GnnModel) record, written after the last batch:
 * if a write-back stops half-way, the users it reached carry a run id the record does not have, so a reader can
 * tell the two runs apart ({@code WHERE u.predictionRun = m.runId}). Returns the number of properties written.
 */
@SuppressWarnings("deprecation") // internal node ids from the export are the write-back handle
public final class RegionPredictionWriter {
    public static final int PROPERTIES_PER_USER = 6;

    private RegionPredictionWriter() {
    }

    /** Writes the users whose index is in {@code users} (all users when null). */
    public static long write(GraphDatabaseService db, long[] nodeIds, int[] users, int[] predicted,
                             float[] probabilities, int[] fold, int classes, String modelName, String runId,
                             int batchSize, Runnable cancellation) {
        long written = 0;
        try (WriteTurn turn = WriteTurn.take(); BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            int count = users == null ? nodeIds.length : users.length;
            int usersPerBatch = (batchSize + PROPERTIES_PER_USER - 1) / PROPERTIES_PER_USER; // a commit falls before each
            for (int i = 0; i < count; i++) {
                if (i % usersPerBatch == 0) {
                    cancellation.run(); // between batches: what was committed stays, stamped with a run no record names
                    if (i > 0) {
                        org.lastfmgnn.catalog.CrashPoints.reached("writeBack");
                    }
                }
                int u = users == null ? i : users[i];
                Node node = batches.tx().getNodeById(nodeIds[u]);
                double[] p = new double[classes];
                for (int c = 0; c < classes; c++) {
                    p[c] = probabilities[u * classes + c];
                }
                node.setProperty("predictedRegion", (long) predicted[u]);
                node.setProperty("predictedRegionProbability", p[predicted[u]]);
                node.setProperty("regionProbabilities", p);
                node.setProperty("predictionFold", (long) fold[u]);
                node.setProperty("predictionModel", modelName);
                node.setProperty("predictionRun", runId);
                written += PROPERTIES_PER_USER;
                batches.done(PROPERTIES_PER_USER);
            }
        }
        return written;
    }
}

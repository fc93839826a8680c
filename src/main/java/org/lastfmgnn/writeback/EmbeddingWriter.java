package org.lastfmgnn.writeback;

import java.util.Arrays;
import org.lastfmgnn.store.BatchedTransactions;
import org.neo4j.graphdb.GraphDatabaseService;

/** Writes one embedding per user as a float array property, in batches. Returns the properties written. */
@SuppressWarnings("deprecation") // internal node ids from the export are the write-back handle
public final class EmbeddingWriter {
    private EmbeddingWriter() {
    }

    public static long write(GraphDatabaseService db, long[] nodeIds, float[] embeddings, int width, String property,
                             int batchSize) {
        if (embeddings == null) {
            return 0;
        }
        try (WriteTurn turn = WriteTurn.take(); BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (int u = 0; u < nodeIds.length; u++) {
                batches.tx().getNodeById(nodeIds[u])
                        .setProperty(property, Arrays.copyOfRange(embeddings, u * width, (u + 1) * width));
                batches.done(1);
            }
        }
        return nodeIds.length;
    }
}

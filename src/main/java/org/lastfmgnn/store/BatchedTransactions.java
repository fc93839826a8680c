package org.lastfmgnn.store;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * A sequence of write transactions committed every {@code batchSize} operations, so that millions of
 * relationships never sit in one transaction's state. Entities fetched from one batch are invalid in the next:
 * callers hold internal ids, not nodes.
 */
public final class BatchedTransactions implements AutoCloseable {
    private final GraphDatabaseService db;
    private final int batchSize;
    private Transaction tx;
    private int pending;

    public BatchedTransactions(GraphDatabaseService db, int batchSize) {
        this.db = db;
        this.batchSize = batchSize;
        this.tx = db.beginTx();
    }

    public Transaction tx() {
        return tx;
    }

    /** Counts {@code operations} against the batch; commits and opens the next transaction when it is full. */
    public void done(int operations) {
        pending += operations;
        if (pending >= batchSize) {
            tx.commit();
            tx.close();
            tx = db.beginTx();
            pending = 0;
        }
    }

    @Override
    public void close() {
        try {
            tx.commit();
        } finally {
            tx.close();
        }
    }
}

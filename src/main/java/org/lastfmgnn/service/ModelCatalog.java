package org.lastfmgnn.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.lastfmgnn.catalog.CrashPoints;
import org.lastfmgnn.catalog.ModelStore;
import org.lastfmgnn.catalog.StoredModel;
import org.lastfmgnn.writeback.ModelRecordWriter;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * The saved models as users see them: the files of a {@link ModelStore} and the {@code (:GnnModel)} records in
 * the graph, kept in agreement. The record is the commit point: a training saves its version, writes its
 * predictions, then its record, and only then puts the version in use. Whatever a crash interrupts, the next
 * access makes the files agree with the record ({@link ModelStore#recover}): the version the record names is
 * the one in use, a version no record names is removed, and a model without a record does not exist.
 */
public final class ModelCatalog {
    private final GraphDatabaseService db;
    private final ModelStore store;

    public ModelCatalog(GraphDatabaseService db, ModelStore store) {
        this.db = db;
        this.store = store;
    }

    public ModelStore store() {
        return store;
    }

    /** The model in use under {@code name}, after reconciling its files with its record. */
    public StoredModel describe(String name) throws IOException {
        reconcile(name);
        return store.describe(name);
    }

    public float[][] weights(String name) throws IOException {
        return store.weights(name);
    }

    /** The TorchScript body of an imported model. */
    public byte[] script(String name) throws IOException {
        return store.script(name);
    }

    /** Every model, reconciled. */
    public List<StoredModel> list() throws IOException {
        store.removeDropped();
        for (String name : store.folders()) {
            reconcile(name);
        }
        return store.list();
    }

    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        for (StoredModel m : list()) {
            names.add(m.name());
        }
        return names;
    }

    /**
     * Makes {@code stored} (with {@code weights}) the model {@code name}: saves its version, runs
     * {@code writeBack} (the predictions, stamped with its run id), writes its record, then puts it in use.
     */
    public void commit(StoredModel stored, float[][] weights, WriteBack writeBack) throws IOException {
        commit(stored, weights, null, writeBack);
    }

    /** The same, for a model whose body is a TorchScript archive ({@code script}; null: none). */
    public void commit(StoredModel stored, float[][] weights, byte[] script, WriteBack writeBack) throws IOException {
        store.save(stored, weights, script);
        CrashPoints.reached("saved");
        writeBack.run();
        CrashPoints.reached("writtenBack");
        ModelRecordWriter.write(db, stored);
        CrashPoints.reached("recorded");
        store.promote(stored.name(), stored.runId());
        store.recover(stored.name(), stored.runId());
    }

    /** Removes the record first (the commit point), then the files. Returns {files removed, record removed}. */
    public boolean[] drop(String name) throws IOException {
        if (TrainingLock.isTraining(name)) {
            throw new IllegalStateException("A training of model '" + name + "' is running; stop it first (TERMINATE TRANSACTION)");
        }
        boolean record = ModelRecordWriter.delete(db, name);
        boolean files = store.drop(name);
        return new boolean[] {files, record};
    }

    private void reconcile(String name) throws IOException {
        if (!TrainingLock.isTraining(name)) {
            store.recover(name, ModelRecordWriter.runId(db, name));
        }
    }

    /** The graph writes of a commit. */
    public interface WriteBack {
        void run() throws IOException;
    }
}

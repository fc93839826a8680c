package org.lastfmgnn.loading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureFile;
import org.lastfmgnn.dataset.ImportDirectory;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.progress.ProgressTracker;
import org.neo4j.graphdb.GraphDatabaseService;

/** {@code lastfm.load}'s work: resolve the files safely, read and validate them all, then write. */
public final class DatasetLoader {
    private final GraphDatabaseService db;
    private final ImportDirectory imports;
    private final Consumer<String> log;

    public DatasetLoader(GraphDatabaseService db, ImportDirectory imports, Consumer<String> log) {
        this.db = db;
        this.imports = imports;
        this.log = log;
    }

    public LoadResult load(LoadConfig config) throws IOException {
        long start = System.nanoTime();
        Path directory = imports.resolve(config.directory());
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("directory '" + config.directory() + "' does not exist in Neo4j's import directory ("
                    + imports.root() + ")");
        }
        FeatureFile features = FeatureFile.choose(config.features(), directory, imports);
        log.accept("lastfm.load: reading " + directory + " with features " + features.source().label()
                + (features.path() == null ? "" : " (" + features.path().getFileName() + ")"));
        LastFmDataset data = DatasetReader.read(directory, features.path(), features.source());
        long read = System.nanoTime();
        DatasetWriter.Changes changes;
        try (ProgressTracker progress = ProgressTracker.start("lastfm.load",
                data.userCount() + data.friendshipCount() + data.likeCount(), log)) {
            changes = new DatasetWriter(db, config.batchSize(), progress).write(data);
        }
        long end = System.nanoTime();
        long writeMillis = (end - read) / 1_000_000;
        return new LoadResult(data.userCount(), data.friendshipCount(), data.artistCount(), data.likeCount(),
                data.featureSource().label(), changes.nodesCreated(), changes.relationshipsCreated(),
                changes.propertiesSet(), (read - start) / 1_000_000, writeMillis, (end - start) / 1_000_000,
                changes.relationshipsCreated() / Math.max(0.001, (end - read) / 1e9));
    }
}

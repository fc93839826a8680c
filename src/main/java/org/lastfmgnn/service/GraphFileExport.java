package org.lastfmgnn.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.lastfmgnn.export.ExportConfig;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.export.NumpyArchive;
import org.lastfmgnn.graph.GraphSnapshot;
import org.neo4j.graphdb.Transaction;

/**
 * {@code lastfm.gnn.export}: the graph (or the users of {@code userQuery}) read in the caller's transaction, written
 * as a {@link NumpyArchive} for training outside the database. Nothing in the database changes.
 */
public final class GraphFileExport {
    /** The procedure's row. */
    public record Result(String file, long nodeCount, long relationshipCount, long likeCount, long rounds,
                         List<String> arrays, long bytes, long formatVersion, long exportMillis, long writeMillis) {
    }

    private GraphFileExport() {
    }

    /** @param file where the archive goes, already resolved inside the import directory */
    public static Result export(Transaction tx, ExportConfig config, Path file, Consumer<String> log) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(ExportConfig.PROCEDURE + ": '" + config.file() + "' is a directory");
        }
        long start = System.nanoTime();
        GraphSnapshot graph = GraphExporter.export(tx, config.userQuery(), config.likes());
        if (graph.userCount() == 0) {
            throw new IllegalArgumentException(ExportConfig.PROCEDURE + ": no users to export"
                    + (config.userQuery() == null ? " (run lastfm.load first)" : " (userQuery returned none)"));
        }
        long exported = System.nanoTime();
        Files.createDirectories(file.getParent());
        NumpyArchive.Written written = NumpyArchive.write(graph, config.evaluation(), config.randomSeed(), config.likes(), file);
        long done = System.nanoTime();
        log.accept(String.format("%s: %,d users, %,d friendships, %,d likes, %d rounds to %s (%,d bytes)",
                ExportConfig.PROCEDURE, written.users(), written.friendships(), written.likes(), written.rounds(), file,
                written.bytes()));
        return new Result(config.file(), written.users(), written.friendships(), written.likes(), written.rounds(),
                written.arrays(), written.bytes(), NumpyArchive.FORMAT_VERSION, (exported - start) / 1_000_000,
                (done - exported) / 1_000_000);
    }
}

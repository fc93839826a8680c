package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.loading.DatasetLoader;
import org.lastfmgnn.loading.LoadConfig;
import org.lastfmgnn.loading.LoadResult;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Log;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** {@code CALL lastfm.load(config)}: the LastFM Asia files from the import directory into the graph. */
public class LoadProcedure {
    @Context
    public GraphDatabaseService db;

    @Context
    public Log log;

    // SCHEMA, not WRITE: the load creates the uniqueness constraints it relies on.
    @Procedure(name = "lastfm.load", mode = Mode.SCHEMA)
    @Description("Loads LastFM Asia users, friendships and (optionally) artist likes from the import directory. "
            + "Config: {directory: '' (relative to the import directory), features: 'auto'|'none'|'synthetic'|'<file>', "
            + "batchSize: 50000}. Idempotent: a second load changes nothing.")
    public Stream<LoadResult> load(@Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        LoadConfig parsed = LoadConfig.parse(config);
        // The load writes in its own batch transactions; this procedure's transaction only carries the call.
        LoadResult result = new DatasetLoader(db, Neo4jPaths.importDirectory(db), log::info).load(parsed);
        return Stream.of(result);
    }
}

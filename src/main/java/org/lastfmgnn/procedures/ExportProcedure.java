package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.export.ExportConfig;
import org.lastfmgnn.service.GraphFileExport;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.logging.Log;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** {@code CALL lastfm.gnn.export(config)}: the graph as a NumPy archive in the import directory. */
public class ExportProcedure {
    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Context
    public Log log;

    @Procedure(name = "lastfm.gnn.export", mode = Mode.READ)
    @Description("Writes the users, friendships, regions, the train/validation/test masks of train's rounds and (if "
            + "loaded) the likes as a NumPy .npz archive that PyTorch Geometric and DGL read. Config: {file: "
            + "'lastfm-gnn.npz' (relative to the import directory), folds: 5 | split: {...}, randomSeed: 42, userQuery, "
            + "likes: true}. The database is not changed.")
    public Stream<GraphFileExport.Result> export(@Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        ExportConfig parsed = ExportConfig.parse(config);
        return Stream.of(GraphFileExport.export(tx, parsed, Neo4jPaths.importDirectory(db).resolve(parsed.file()), log::info));
    }
}

package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.service.RegionModelService;
import org.lastfmgnn.service.RegionPrediction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.logging.Log;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.TerminationGuard;

/** Applying a saved region model to users without a region: a stream (READ) and a write variant. */
public class PredictProcedures {
    private static final List<String> KEYS = List.of("write", "userQuery");

    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Context
    public Log log;

    @Context
    public TerminationGuard guard;

    @Procedure(name = "lastfm.gnn.predict", mode = Mode.WRITE)
    @Description("Applies a saved region model (lastfm.gnn.models()) to the users without a region. "
            + "Config: {write: false, userQuery: null}; with write: true the predictions are written to the users.")
    public Stream<RegionPrediction> predict(@Name("modelName") String modelName,
                                            @Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        ConfigMap c = ConfigMap.of("lastfm.gnn.predict", config, KEYS);
        return service().predict(tx, modelName, c.bool("write", false), c.string("userQuery", null)).stream();
    }

    @Procedure(name = "lastfm.gnn.predict.stream", mode = Mode.READ)
    @Description("Like lastfm.gnn.predict, streaming only: for users who may read but not write.")
    public Stream<RegionPrediction> stream(@Name("modelName") String modelName,
                                           @Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        ConfigMap c = ConfigMap.of("lastfm.gnn.predict.stream", config, List.of("userQuery"));
        return service().predict(tx, modelName, false, c.string("userQuery", null)).stream();
    }

    private RegionModelService service() {
        return new RegionModelService(db, Neo4jPaths.catalog(db), log::info, guard::check);
    }
}

package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.service.ModelCatalog;
import org.lastfmgnn.catalog.StoredModel;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** {@code lastfm.gnn.models()} and {@code lastfm.gnn.drop(name)}. */
public class ModelCatalogProcedures {
    /** A saved model, as listed. */
    public record ModelInfo(String modelName, String task, String model, String runId, List<String> inputs,
                            String featureSource, String trainedAt, Map<String, Object> metrics, Map<String, Object> config) {
        static ModelInfo of(StoredModel m) {
            return new ModelInfo(m.name(), m.task(), m.model(), m.runId(), m.inputs(), m.featureSource(), m.trainedAt(),
                    m.metrics(), m.config());
        }
    }

    /** What a drop removed. */
    public record Dropped(String modelName, boolean filesRemoved, boolean recordRemoved) {
    }

    @Context
    public GraphDatabaseService db;

    @Procedure(name = "lastfm.gnn.models", mode = Mode.READ)
    @Description("Lists the saved models of this database with their metrics and configuration.")
    public Stream<ModelInfo> models() throws IOException {
        return Neo4jPaths.catalog(db).list().stream().map(ModelInfo::of);
    }

    @Procedure(name = "lastfm.gnn.drop", mode = Mode.WRITE)
    @Description("Removes a saved model and its (:GnnModel) record. Predictions already written stay.")
    public Stream<Dropped> drop(@Name("modelName") String modelName) throws IOException {
        ModelCatalog catalog = Neo4jPaths.catalog(db);
        boolean[] removed = catalog.drop(modelName);
        if (!removed[0] && !removed[1]) {
            throw new IllegalArgumentException("No model named '" + modelName + "'. Models: " + catalog.names());
        }
        return Stream.of(new Dropped(modelName, removed[0], removed[1]));
    }
}

package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.service.TorchScriptModels;
import org.lastfmgnn.torchscript.ImportConfig;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.logging.Log;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** {@code lastfm.gnn.export.model} and {@code lastfm.gnn.import}: region models as TorchScript, out and in. */
public class TorchScriptProcedures {
    private static final String EXPORT = "lastfm.gnn.export.model";

    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Context
    public Log log;

    @Procedure(name = EXPORT, mode = Mode.READ)
    @Description("Writes a saved region model (gcn, gat or mlp body; inputs labels/structure) as a TorchScript module that "
            + "torch.jit.load reads: forward(x, edge_index, edge_weight) -> logits, with what it reads and how it is "
            + "served in its extra file lastfm-gnn.json. Config: {file: '<modelName>.pt' (relative to the import "
            + "directory)}. The database is not changed.")
    public Stream<TorchScriptModels.Exported> exportModel(@Name("modelName") String modelName,
                                                          @Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        String file = ConfigMap.of(EXPORT, config, java.util.List.of("file")).string("file", modelName + ".pt");
        TorchScriptModels models = new TorchScriptModels(Neo4jPaths.catalog(db), log::info);
        return Stream.of(models.export(modelName, Neo4jPaths.importDirectory(db).resolve(file), file));
    }

    @Procedure(name = ImportConfig.PROCEDURE, mode = Mode.WRITE)
    @Description("Saves a TorchScript region module (trained elsewhere, e.g. with PyTorch Geometric on lastfm.gnn.export's "
            + "archive, or written by lastfm.gnn.export.model) as a model that predict, explain and write-back serve. "
            + "Its forward(x [N x F], edge_index [2 x E] int64, edge_weight [E]) returns logits [N x regions]; it is "
            + "applied once to this graph before it is saved. Config: {file, modelName, inputs: ['labels', 'structure'], "
            + "correction: 0, smoothing: 0, propagationSteps: 0} (defaults from the archive's lastfm-gnn.json).")
    public Stream<TorchScriptModels.Imported> importModel(@Name("config") Map<String, Object> config) throws IOException {
        String file = ImportConfig.file(config);
        TorchScriptModels models = new TorchScriptModels(Neo4jPaths.catalog(db), log::info);
        return Stream.of(models.importModel(tx, config, Neo4jPaths.importDirectory(db).resolve(file), file));
    }
}

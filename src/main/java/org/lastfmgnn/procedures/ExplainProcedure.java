package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.service.ExplainService;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.TerminationGuard;

/** {@code CALL lastfm.explain(userId, config)}. */
public class ExplainProcedure {
    private static final List<String> KEYS = List.of("task", "modelName", "epochs", "write", "topK", "artistId");

    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Context
    public TerminationGuard guard;

    @Procedure(name = "lastfm.explain", mode = Mode.WRITE)
    @Description("Explains a user's region prediction with GNNExplainer: the friendships (message edges) and input "
            + "features that the saved model relies on, with fidelity; with task 'artists', one recommended artist "
            + "(artistId, default the first recommendation). Config: {task: 'region', modelName: newest, epochs: 100, "
            + "topK: 10, write: false, artistId}; write: true replaces the user's INFLUENCES relationships.")
    public Stream<ExplainService.ExplainResult> explain(@Name("userId") long userId,
            @Name(value = "config", defaultValue = "{}") Map<String, Object> config) throws IOException {
        return explain("lastfm.explain", userId, config, KEYS);
    }

    @Procedure(name = "lastfm.explain.stream", mode = Mode.READ)
    @Description("lastfm.explain without the write option: callable from read-only transactions (a reader's). "
            + "Config: {task: 'region', modelName: newest, epochs: 100, topK: 10, artistId}.")
    public Stream<ExplainService.ExplainResult> stream(@Name("userId") long userId,
            @Name(value = "config", defaultValue = "{}") Map<String, Object> config) throws IOException {
        return explain("lastfm.explain.stream", userId, config, KEYS.stream().filter(k -> !k.equals("write")).toList());
    }

    private Stream<ExplainService.ExplainResult> explain(String procedure, long userId, Map<String, Object> config,
                                                         List<String> keys) throws IOException {
        ConfigMap c = ConfigMap.of(procedure, config, keys);
        String task = c.choice("task", "region", List.of("region", "artists"));
        UserLookup.require(tx, userId);
        ExplainService service = new ExplainService(db, Neo4jPaths.modelStore(db));
        String model = c.string("modelName", null);
        model = model == null ? service.defaultModel(task) : model;
        int epochs = (int) c.integer("epochs", 100, 1, 10_000);
        int topK = (int) c.integer("topK", 10, 1, 1000);
        boolean write = c.bool("write", false);
        if (task.equals("artists")) {
            Long artist = c.has("artistId") ? c.integer("artistId", 0, 0, Integer.MAX_VALUE) : null;
            return Stream.of(service.explainArtist(tx, userId, model, artist, epochs, topK, write));
        }
        return Stream.of(service.explain(tx, userId, model, epochs, topK, write));
    }

    @Procedure(name = "lastfm.explain.global", mode = Mode.READ)
    @Description("GNNExplainer over a seeded sample of users: mean importance of each input feature and of each "
            + "edge type. Config: {sample: 50, modelName: newest, epochs: 50, randomSeed: 42}.")
    public Stream<ExplainService.GlobalImportance> global(@Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        ConfigMap c = ConfigMap.of("lastfm.explain.global", config, List.of("sample", "modelName", "epochs", "randomSeed"));
        ExplainService service = new ExplainService(db, Neo4jPaths.modelStore(db));
        String model = c.string("modelName", null);
        return service.global(tx, model == null ? service.defaultModel("region") : model, (int) c.integer("sample", 50, 1, 10_000),
                (int) c.integer("epochs", 50, 1, 10_000), c.integer("randomSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                guard::check).stream();
    }
}

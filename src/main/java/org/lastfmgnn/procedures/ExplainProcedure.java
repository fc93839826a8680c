package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.explain.ExplainerEvaluation;
import org.lastfmgnn.explain.ExplainerMethod;
import org.lastfmgnn.explain.Explainers;
import org.lastfmgnn.explain.Fidelity;
import org.lastfmgnn.service.ExplainService;
import org.lastfmgnn.training.TrainConfig;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.TerminationGuard;

/** {@code lastfm.explain} and its stream, global and evaluate variants. */
public class ExplainProcedure {
    private static final List<String> KEYS = List.of("task", "modelName", "method", "epochs", "write", "topK", "hops",
            "artistId");
    private static final List<Object> DEFAULT_SPARSITY = List.of(1L, 3L, 5L, 10L, 0.05, 0.1, 0.2);

    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Context
    public TerminationGuard guard;

    @Context
    public org.neo4j.logging.Log log;

    @Procedure(name = "lastfm.explain", mode = Mode.WRITE)
    @Description("Explains a user's served region prediction (or, with task 'artists', one recommended artist): the "
            + "message edges and own inputs the saved model relies on, scored by an explainer (method: gradient "
            + "(default), saliency, integratedGradients, occlusion, attention (GAT), gnnExplainer, random), with fidelity. "
            + "Config: {task: 'region', modelName: newest, method, epochs: 100, topK: 10, hops: 2, write: false, "
            + "artistId}; write: true replaces the user's INFLUENCES relationships.")
    public Stream<ExplainService.ExplainResult> explain(@Name("userId") long userId,
            @Name(value = "config", defaultValue = "{}") Map<String, Object> config) throws IOException {
        return explain("lastfm.explain", userId, config, KEYS);
    }

    @Procedure(name = "lastfm.explain.stream", mode = Mode.READ)
    @Description("lastfm.explain without the write option: callable from read-only transactions (a reader's). "
            + "Config: {task: 'region', modelName: newest, method, epochs: 100, topK: 10, hops: 2, artistId}.")
    public Stream<ExplainService.ExplainResult> stream(@Name("userId") long userId,
            @Name(value = "config", defaultValue = "{}") Map<String, Object> config) throws IOException {
        return explain("lastfm.explain.stream", userId, config, KEYS.stream().filter(k -> !k.equals("write")).toList());
    }

    private Stream<ExplainService.ExplainResult> explain(String procedure, long userId, Map<String, Object> config,
                                                         List<String> keys) throws IOException {
        ConfigMap c = ConfigMap.of(procedure, config, keys);
        String task = c.choice("task", "region", List.of("region", "artists"));
        if (task.equals("region") && c.has("artistId")) {
            throw new IllegalArgumentException(procedure + ": 'artistId' applies to task 'artists' only");
        }
        UserLookup.require(tx, userId);
        ExplainService service = new ExplainService(db, Neo4jPaths.catalog(db));
        String model = c.string("modelName", null);
        model = model == null ? service.defaultModel(task) : model;
        ExplainService.Options options = options(c, task.equals("artists") ? ExplainerMethod.GNN_EXPLAINER
                : ExplainService.DEFAULT_METHOD);
        boolean write = c.bool("write", false);
        if (task.equals("artists")) {
            Long artist = c.has("artistId") ? c.integer("artistId", 0, 0, Long.MAX_VALUE) : null;
            return Stream.of(service.explainArtist(tx, userId, model, artist, options, write));
        }
        return Stream.of(service.explain(tx, userId, model, options, write));
    }

    private static ExplainService.Options options(ConfigMap c, ExplainerMethod defaultMethod) {
        ExplainerMethod method = c.has("method") ? method(c.string("method", null)) : defaultMethod;
        int epochs = (int) c.integer("epochs", 100, 1, 10_000);
        return new ExplainService.Options(method, new Explainers.Settings(epochs, Explainers.Settings.defaults().integrationSteps()),
                (int) c.integer("topK", 10, 1, 1000), (int) c.integer("hops", 2, 1, 4));
    }

    private static ExplainerMethod method(String label) {
        try {
            return ExplainerMethod.of(label);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lastfm.explain: " + e.getMessage());
        }
    }

    @Procedure(name = "lastfm.explain.global", mode = Mode.READ)
    @Description("An explainer over a seeded sample of labelled users: the mean importance of each own input (over "
            + "the users who have it) and of each edge type. Config: {sample: 50, modelName: newest, method, epochs: 50, "
            + "hops: 2, randomSeed: 42, concurrency: the cores, up to 4 (users explained side by side; the same figures "
            + "at any concurrency)}.")
    public Stream<ExplainService.GlobalImportance> global(@Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        ConfigMap c = ConfigMap.of("lastfm.explain.global", config,
                List.of("sample", "modelName", "method", "epochs", "hops", "randomSeed", "concurrency"));
        ExplainService service = new ExplainService(db, Neo4jPaths.catalog(db));
        String model = c.string("modelName", null);
        ExplainerMethod method = c.has("method") ? method(c.string("method", null)) : ExplainService.DEFAULT_METHOD;
        ExplainService.Options options = new ExplainService.Options(method,
                new Explainers.Settings((int) c.integer("epochs", 50, 1, 10_000), Explainers.Settings.defaults().integrationSteps()),
                10, (int) c.integer("hops", 2, 1, 4));
        return service.global(tx, model == null ? service.defaultModel("region") : model, (int) c.integer("sample", 50, 1, 10_000),
                options, c.integer("randomSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE), concurrency(c), log::info,
                guard::check).stream();
    }

    @Procedure(name = "lastfm.explain.evaluate", mode = Mode.READ)
    @Description("Fidelity of the explainers on the same seeded sample of labelled users, as PyG's explain.metric and "
            + "GraphFramEx define it: one row per method and sparsity level with fid+ and fid- (prediction change and "
            + "probability drop), the characterization score, bootstrap 95% intervals over users, and the users whose "
            + "candidate edges the level would all remove (kept apart). Config: {sample: 200, methods: all, sparsity: "
            + "[1, 3, 5, 10, 0.05, 0.1, 0.2] (integers: top-k edges; fractions: share of the candidates), modelName: "
            + "newest region model, epochs: 100, hops: 2, randomSeed: 42, concurrency: the cores, up to 4 (users explained "
            + "side by side; the same figures at any concurrency)}.")
    public Stream<ExplainerEvaluation.Row> evaluate(@Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        ConfigMap c = ConfigMap.of("lastfm.explain.evaluate", config,
                List.of("sample", "methods", "sparsity", "modelName", "epochs", "hops", "randomSeed", "concurrency"));
        List<ExplainerMethod> methods = new ArrayList<>();
        for (Object m : list(config, "methods", ExplainerMethod.labels().stream().map(Object.class::cast).toList())) {
            if (!(m instanceof String s)) {
                throw new IllegalArgumentException("lastfm.explain.evaluate: 'methods' holds " + m + ". Allowed: " + ExplainerMethod.labels());
            }
            methods.add(method(s));
        }
        List<Fidelity.Level> levels = new ArrayList<>();
        for (Object level : list(config, "sparsity", DEFAULT_SPARSITY)) {
            levels.add(level(level));
        }
        ExplainService service = new ExplainService(db, Neo4jPaths.catalog(db));
        String model = c.string("modelName", null);
        return service.evaluate(tx, model == null ? service.defaultModel("region") : model,
                (int) c.integer("sample", 200, 1, 100_000), methods, levels,
                new Explainers.Settings((int) c.integer("epochs", 100, 1, 10_000), Explainers.Settings.defaults().integrationSteps()),
                (int) c.integer("hops", 2, 1, 4), c.integer("randomSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                concurrency(c), log::info, guard::check).stream();
    }

    /** Threads for the users of an evaluate or global call, as a training's (GDS's default, at most the cores). */
    private static int concurrency(ConfigMap c) {
        return (int) c.integer("concurrency", TrainConfig.defaultConcurrency(), 1, Runtime.getRuntime().availableProcessors());
    }

    private static List<?> list(Map<String, Object> config, String key, List<Object> defaults) {
        Object value = config == null ? null : config.get(key);
        if (value == null) {
            return defaults;
        }
        List<?> list = value instanceof List<?> l ? l : List.of(value);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("lastfm.explain.evaluate: '" + key + "' must not be empty");
        }
        return list;
    }

    private static Fidelity.Level level(Object value) {
        if ((value instanceof Long || value instanceof Integer) && ((Number) value).longValue() >= 1
                && ((Number) value).longValue() <= 10_000) {
            return Fidelity.Level.top(((Number) value).intValue());
        }
        if (value instanceof Double d && d > 0 && d < 1) {
            return Fidelity.Level.share(d);
        }
        throw new IllegalArgumentException("lastfm.explain.evaluate: 'sparsity' values are integers from 1 (the top k "
                + "edges) or fractions between 0 and 1 (the top share of the candidate edges), got " + value);
    }
}

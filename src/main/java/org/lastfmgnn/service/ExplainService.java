package org.lastfmgnn.service;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.lastfmgnn.catalog.StoredModel;
import org.lastfmgnn.explain.ArtistExplained;
import org.lastfmgnn.explain.Attribution;
import org.lastfmgnn.explain.CandidateEdges;
import org.lastfmgnn.explain.ExplainedPrediction;
import org.lastfmgnn.explain.ExplainerEvaluation;
import org.lastfmgnn.explain.ExplainerMethod;
import org.lastfmgnn.explain.Explainers;
import org.lastfmgnn.explain.Fidelity;
import org.lastfmgnn.explain.RegionExplained;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.ComputationSubgraph;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.model.Tensors;
import org.lastfmgnn.recommend.ArtistPairFeatures;
import org.lastfmgnn.recommend.ArtistSignals;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.training.ArtistFit;
import org.lastfmgnn.training.Folds;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.writeback.InfluenceWriter;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * Explanations of saved models: one user's prediction (region) or recommendation (artist) by any
 * {@link ExplainerMethod}, the mean importance over a sample, and the fidelity of every method over a sample
 * ({@link #evaluate}), which is what decides the default method.
 */
public final class ExplainService {
    /**
     * The default explainer, chosen by {@link #evaluate} on the real graph (BENCHMARKS.md, "Explanations"): the
     * signed gradient ranks edges as occlusion does (the same characterization at top-10 and fid+ at 10%, the best
     * measured, for GCN and GAT) from one backward pass instead of one forward pass per candidate edge.
     */
    public static final ExplainerMethod DEFAULT_METHOD = ExplainerMethod.GRADIENT;
    /** Draws of the random explainer averaged per user. */
    static final int RANDOM_DRAWS = 5;
    /** Fidelity is measured on the whole graph or on a computation subgraph of at most this share of it. */
    private static final double SUBGRAPH_SHARE = 0.5;

    /** What {@code lastfm.explain} yields. */
    public record ExplainResult(long userId, String modelName, String task, String method, Long predictedRegion,
                                Long artistId, double probability, List<Map<String, Object>> edges,
                                List<Map<String, Object>> features, List<Map<String, Object>> artists,
                                List<Map<String, Object>> neighbours, Double fidelityPlus, Double fidelityPlusRandom, Double fidelityMinus,
                                Boolean predictionChanged, double sparsity, long subgraphEdges,
                                long relationshipsWritten, long explainMillis) {
    }

    /** One row of {@code lastfm.explain.global}: a feature or an edge type, with its mean importance. */
    public record GlobalImportance(String kind, String name, double importance, long users) {
    }

    /** How one call explains: the method, its knobs and the candidates' radius. */
    public record Options(ExplainerMethod method, Explainers.Settings settings, int topK, int hops) {
    }

    private final GraphDatabaseService db;
    private final ModelCatalog catalog;

    public ExplainService(GraphDatabaseService db, ModelCatalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    /** The newest saved model of the task, for calls that name none. */
    public String defaultModel(String task) throws IOException {
        return catalog.list().stream().filter(m -> m.task().equals(task))
                .max(Comparator.comparing(StoredModel::trainedAt)).map(StoredModel::name)
                .orElseThrow(() -> new IllegalArgumentException("No " + task + " model to explain: train one with "
                        + "CALL lastfm.gnn.train({task: '" + task + "'})"));
    }

    public ExplainResult explain(Transaction tx, long userId, String modelName, Options options, boolean write)
            throws IOException {
        long start = System.nanoTime();
        try (Session session = new Session(tx, modelName)) {
            int user = session.userIndex(userId);
            if (options.method() == ExplainerMethod.ATTENTION && session.loaded.network().attentionLayers().isEmpty()) {
                throw new IllegalArgumentException("method 'attention' explains GAT models only; '" + modelName
                        + "' is a " + session.stored.model() + " model");
            }
            try (PredictionScope scope = session.prediction(user, options.hops())) {
                Prediction p = scope.prediction();
                Attribution a = Explainers.explain(options.method(), p.explained, p.candidates, options.settings(), userId);
                Fidelities f = fidelities(p, a, options.topK(), userId);
                TopEdges top = topEdges(session.graph, p, a.edges(), options.topK());
                long written = write ? writeInfluences(session.graph, userId, top, null, null, modelName) : 0;
                float[] probabilities = p.explained.probabilities(null);
                return new ExplainResult(userId, modelName, "region", options.method().label(),
                        (long) p.explained.explainedClass(), null, probabilities[p.explained.explainedClass()], top.rows(),
                        ranked(p.explained.featureNames(), a.features(), options.topK()), List.of(), List.of(), f.plus,
                        f.plusRandom,
                        f.minus, f.changed, f.sparsity, p.candidates.length, written, (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    /**
     * Fidelity of every method at every level over a seeded sample of labelled users, the same users for all
     * (paired); the random explainer's point is the mean of {@link #RANDOM_DRAWS} draws per user. The users are
     * explained side by side on up to {@code concurrency} threads (each explanation's draws are seeded by its user,
     * and the points are added in the sample's order, so every figure is the same at any concurrency; the
     * milliseconds per explanation are each explanation's own, on a machine the others share).
     */
    public List<ExplainerEvaluation.Row> evaluate(Transaction tx, String modelName, int sample, List<ExplainerMethod> methods,
                                                  List<Fidelity.Level> levels, Explainers.Settings settings, int hops,
                                                  long seed, int concurrency, java.util.function.Consumer<String> log,
                                                  Runnable cancellation) throws IOException {
        try (Session session = new Session(tx, modelName);
             org.lastfmgnn.progress.ProgressTracker progress = org.lastfmgnn.progress.ProgressTracker.start(
                     "lastfm.explain.evaluate " + modelName, Math.min(sample, session.graph.userCount()), log, cancellation);
             Workers workers = new Workers(concurrency)) {
            boolean attention = !session.loaded.network().attentionLayers().isEmpty();
            List<ExplainerMethod> applicable = methods.stream().filter(m -> m != ExplainerMethod.ATTENTION || attention).toList();
            Map<String, ExplainerEvaluation> rows = new LinkedHashMap<>();
            for (ExplainerMethod m : applicable) {
                for (Fidelity.Level level : levels) {
                    rows.put(m.label() + "|" + level.label(), new ExplainerEvaluation(m.label(), level.label()));
                }
            }
            List<UserFidelity> measured = eachUser(session.sample(sample, seed), workers, progress,
                    u -> fidelity(session, u, applicable, levels, settings, hops, seed));
            for (UserFidelity user : measured) {
                for (ExplainerMethod m : applicable) {
                    for (Fidelity.Level level : levels) {
                        String key = m.label() + "|" + level.label();
                        rows.get(key).add(user.points().get(key), user.millis().get(m));
                    }
                }
            }
            return rows.values().stream().map(r -> r.row(seed)).toList();
        }
    }

    /**
     * {@code perUser} of each of {@code users}, side by side on the workers, in the users' order (so that whatever
     * sums them sums in one order at any concurrency); one unit of progress per user, stopped between users when
     * cancelled.
     */
    private static <T> List<T> eachUser(int[] users, Workers workers, org.lastfmgnn.progress.ProgressTracker progress,
                                        java.util.function.IntFunction<T> perUser) {
        Object[] results = new Object[users.length];
        workers.forEach(users.length, i -> {
            progress.checkCancelled();
            results[i] = perUser.apply(users[i]);
            progress.advance(1);
        });
        @SuppressWarnings("unchecked")
        List<T> inOrder = (List<T>) java.util.Arrays.asList(results);
        return inOrder;
    }

    /** One user's fidelity points per "method|level" and milliseconds per explanation per method. */
    private record UserFidelity(Map<String, List<Fidelity.Point>> points, Map<ExplainerMethod, Double> millis) {
    }

    private static UserFidelity fidelity(Session session, int u, List<ExplainerMethod> methods,
                                         List<Fidelity.Level> levels, Explainers.Settings settings, int hops, long seed) {
        Map<String, List<Fidelity.Point>> points = new java.util.HashMap<>();
        Map<ExplainerMethod, Double> millis = new java.util.EnumMap<>(ExplainerMethod.class);
        try (PredictionScope scope = session.prediction(u, hops)) {
            Prediction p = scope.prediction();
            float[] baseline = p.explained.probabilities(null);
            for (ExplainerMethod m : methods) {
                int draws = m == ExplainerMethod.RANDOM ? RANDOM_DRAWS : 1;
                List<Attribution> attributions = new ArrayList<>();
                long t = System.nanoTime();
                for (int d = 0; d < draws; d++) {
                    attributions.add(Explainers.explain(m, p.explained, p.candidates, settings,
                            seed * 31 + session.graph.userIds()[u] * 7L + d));
                }
                millis.put(m, (System.nanoTime() - t) / 1e6 / draws);
                for (Fidelity.Level level : levels) {
                    List<Fidelity.Point> at = new ArrayList<>();
                    for (Attribution a : attributions) {
                        at.add(Fidelity.measure(p.explained, baseline, p.candidates, a.edges(), level));
                    }
                    points.put(m.label() + "|" + level.label(), at);
                }
            }
        }
        return new UserFidelity(points, millis);
    }

    /**
     * Mean importance of each own input (over the users who have it) and of each edge type over a seeded sample of
     * labelled users. Edge types: where the message goes (to the user, or to one of its friends) and whether its
     * sender's known region is the region predicted. The users are explained side by side on up to
     * {@code concurrency} threads and their importances summed in the sample's order: the same figures at any
     * concurrency.
     */
    public List<GlobalImportance> global(Transaction tx, String modelName, int sample, Options options, long seed,
                                         int concurrency, java.util.function.Consumer<String> log,
                                         Runnable cancellation) throws IOException {
        try (Session session = new Session(tx, modelName);
             org.lastfmgnn.progress.ProgressTracker progress = org.lastfmgnn.progress.ProgressTracker.start(
                     "lastfm.explain.global " + modelName, Math.min(sample, session.graph.userCount()), log, cancellation);
             Workers workers = new Workers(concurrency)) {
            Map<String, double[]> features = new LinkedHashMap<>();
            for (String name : session.loaded.inputs().ownFeatureNames()) {
                features.put(name, new double[2]);
            }
            Map<String, double[]> edgeTypes = new LinkedHashMap<>();
            for (String type : List.of("friend->user, same region", "friend->user, other region",
                    "friend of friend->friend, same region", "friend of friend->friend, other region")) {
                edgeTypes.put(type, new double[2]);
            }
            int[] users = session.sample(sample, seed);
            List<UserImportance> explained = eachUser(users, workers, progress, u -> importance(session, u, options, seed));
            for (UserImportance user : explained) {
                for (int f = 0; f < user.own().length; f++) {
                    double[] acc = features.get(user.featureNames().get(f));
                    acc[0] += user.own()[f];
                    acc[1]++;
                }
                for (int e = 0; e < user.edges().length; e++) {
                    double[] acc = edgeTypes.get(user.edgeTypes()[e]);
                    acc[0] += user.edges()[e];
                    acc[1]++;
                }
            }
            List<GlobalImportance> rows = new ArrayList<>();
            features.forEach((name, acc) -> rows.add(new GlobalImportance("feature", name, acc[1] == 0 ? 0 : acc[0] / acc[1], (long) acc[1])));
            edgeTypes.forEach((type, acc) -> rows.add(new GlobalImportance("edgeType", type, acc[1] == 0 ? 0 : acc[0] / acc[1], users.length)));
            rows.sort(Comparator.comparing(GlobalImportance::kind).thenComparing(Comparator.comparingDouble(GlobalImportance::importance).reversed()));
            return rows;
        }
    }

    /** One user's normalised importances: of each own input (by name) and of each candidate edge (by type). */
    private record UserImportance(List<String> featureNames, float[] own, String[] edgeTypes, float[] edges) {
    }

    private static UserImportance importance(Session session, int u, Options options, long seed) {
        GraphSnapshot g = session.graph;
        try (PredictionScope scope = session.prediction(u, options.hops())) {
            Prediction p = scope.prediction();
            Attribution a = Explainers.explain(options.method(), p.explained, p.candidates, options.settings(),
                    seed + g.userIds()[u]);
            int region = p.explained.explainedClass();
            String[] types = new String[p.candidates.length];
            for (int e = 0; e < p.candidates.length; e++) {
                int source = p.wholeGraphUser(p.tensors.sourceIndex()[p.candidates[e]]);
                int target = p.wholeGraphUser(p.tensors.targetIndex()[p.candidates[e]]);
                types[e] = (target == u ? "friend->user" : "friend of friend->friend")
                        + (g.regions()[source] == region ? ", same region" : ", other region");
            }
            return new UserImportance(p.explained.featureNames(), normalised(a.features()), types, normalised(a.edges()));
        }
    }

    /** Scores scaled to [0, 1] by the largest magnitude, so that methods of different scales can be averaged. */
    private static float[] normalised(float[] scores) {
        float max = 0;
        for (float s : scores) {
            max = Math.max(max, Math.abs(s));
        }
        float[] out = new float[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = max == 0 ? 0 : scores[i] / max;
        }
        return out;
    }

    /**
     * Explains why an artist model recommends {@code artistId} (default: the user's first recommendation) to a
     * user: the friendships and the artists (likes of the user's friends) behind its score. The user's own likes
     * are hidden, as they were when the recommendation was made.
     */
    public ExplainResult explainArtist(Transaction tx, long userId, String modelName, Long artistId, Options options,
                                       boolean write) throws IOException {
        long start = System.nanoTime();
        StoredModel stored = catalog.describe(modelName);
        if (!stored.task().equals("artists")) {
            throw new IllegalArgumentException("Model '" + modelName + "' is a '" + stored.task() + "' model; task 'artists' explains artist models");
        }
        if (options.method() == ExplainerMethod.ATTENTION) {
            throw new IllegalArgumentException("method 'attention' explains GAT region models only");
        }
        GraphSnapshot g = GraphExporter.export(tx, null, true);
        int user = userIndex(g, userId);
        long artistToExplain = artistId != null ? artistId : firstRecommendation(tx, userId, modelName);
        int artist = -1;
        for (int a = 0; a < g.artistCount(); a++) {
            if (g.artistIds()[a] == artistToExplain) {
                artist = a;
            }
        }
        if (artist < 0) {
            throw new IllegalArgumentException("No artist with id " + artistToExplain);
        }
        if (stored.sparseInputs() != g.artistCount()) {
            throw new IllegalArgumentException("Model '" + modelName + "' was trained on " + stored.sparseInputs()
                    + " artists; the graph has " + g.artistCount() + ". Retrain it.");
        }
        ModelShape shape = stored.bodyShape();
        boolean[] visible = new boolean[g.userCount()];
        Arrays.fill(visible, true);
        visible[user] = false;
        try (NDManager manager = Engines.newCpuManager();
             GraphTensors tensors = new GraphTensors(manager, g, true);
             ArtistRecommender model = new ArtistRecommender(manager, shape, g.artistCount(), 0, null)) {
            model.restore(catalog.weights(modelName));
            float[] rows = new float[g.userCount()];
            for (int u = 0; u < rows.length; u++) {
                rows[u] = visible[u] ? 1 : 0;
            }
            ArtistSignals signals = new ArtistSignals(g, visible);
            ArtistExplained explained = new ArtistExplained(model, tensors,
                    tensors.dense(ArtistFit.denseFeatures(g, visible), ArtistFit.DENSE_WIDTH), ArtistFit.FEATURE_NAMES,
                    ArtistFit.prior(model, tensors, signals, new int[] {user}, Workers.SEQUENTIAL),
                    Tensors.of(manager, rows, new Shape(rows.length, 1)), user, artist, g.artistCount());
            int hops = shape.architecture() == org.lastfmgnn.model.Architecture.MLP ? 1 : shape.hidden().length + 1;
            int[] candidates = CandidateEdges.of(g, tensors, user, Math.min(hops, options.hops()));
            Attribution a = Explainers.explain(options.method(), explained, candidates, options.settings(), userId);
            Prediction p = new Prediction(explained, candidates, tensors, null);
            Fidelities f = fidelities(p, a, options.topK(), userId);
            TopEdges top = topEdges(g, p, a.edges(), options.topK());
            long written = write ? writeInfluences(g, userId, top, a.artists(), g.artistNodeIds(), modelName) : 0;
            return new ExplainResult(userId, modelName, "artists", options.method().label(), null, artistToExplain,
                    explained.probabilities(null)[0], top.rows(), ranked(ArtistFit.FEATURE_NAMES, a.features(), options.topK()),
                    topArtists(g, a.artists(), options.topK()),
                    krigedNeighbours(g, signals, model.head(), user, artist, options.topK()), f.plus, f.plusRandom,
                    f.minus, null, f.sparsity,
                    candidates.length, written, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Fidelity at the call's top k: null when k covers every candidate (nothing to compare). */
    private record Fidelities(Double plus, Double plusRandom, Double minus, Boolean changed, double sparsity) {
    }

    private static Fidelities fidelities(Prediction p, Attribution a, int topK, long seed) {
        int m = p.candidates.length;
        float[] baseline = p.explained.probabilities(null);
        Fidelity.Point point = Fidelity.measure(p.explained, baseline, p.candidates, a.edges(), Fidelity.Level.top(topK));
        double sparsity = m == 0 ? 0 : 1 - Math.min(topK, m) / (double) m;
        if (point.excluded()) {
            return new Fidelities(null, null, null, null, sparsity);
        }
        Random random = new Random(seed);
        double plusRandom = 0;
        for (int d = 0; d < RANDOM_DRAWS; d++) {
            float[] scores = new float[m];
            for (int i = 0; i < m; i++) {
                scores[i] = random.nextFloat();
            }
            plusRandom += Fidelity.measure(p.explained, baseline, p.candidates, scores, Fidelity.Level.top(topK))
                    .plusProbability() / RANDOM_DRAWS;
        }
        return new Fidelities(point.plusProbability(), plusRandom, point.minusProbability(),
                p.explained.isClassifier() ? point.plusPrediction() > 0 : null, sparsity);
    }

    private static long firstRecommendation(Transaction tx, long userId, String model) {
        try (var result = tx.execute("MATCH (:User {id: $u})-[r:RECOMMENDED {model: $m}]->(a:Artist) "
                + "RETURN a.id AS id ORDER BY r.rank LIMIT 1", Map.of("u", userId, "m", model))) {
            if (!result.hasNext()) {
                throw new IllegalArgumentException("User " + userId + " has no recommendation from '" + model
                        + "': give artistId, or train with write: true");
            }
            return ((Number) result.next().get("id")).longValue();
        }
    }

    /** The user-to-user edges, and (:Artist)-[:INFLUENCES]->(:User) for the top artists when artists were masked. */
    private long writeInfluences(GraphSnapshot g, long userId, TopEdges top, float[] artistImportance, long[] artistNodes,
                                 String model) {
        long[] sources = top.sources();
        long[] targets = top.targets();
        double[] importance = top.importance();
        int extra = artistImportance == null ? 0 : Math.min(sources.length, artistImportance.length);
        long[] s = Arrays.copyOf(sources, sources.length + extra);
        long[] t = Arrays.copyOf(targets, targets.length + extra);
        double[] w = Arrays.copyOf(importance, importance.length + extra);
        if (extra > 0) {
            int[] order = Fidelity.top(artistImportance, extra);
            long userNode = g.nodeIds()[userIndex(g, userId)];
            for (int i = 0; i < extra; i++) {
                s[sources.length + i] = artistNodes[order[i]];
                t[sources.length + i] = userNode;
                w[sources.length + i] = artistImportance[order[i]];
            }
        }
        return InfluenceWriter.write(db, userId, s, t, w, model);
    }

    /** The most important message edges: rows to stream, and node ids with importance to write. */
    private record TopEdges(List<Map<String, Object>> rows, long[] sources, long[] targets, double[] importance) {
    }

    private static TopEdges topEdges(GraphSnapshot g, Prediction p, float[] scores, int topK) {
        int[] order = Fidelity.top(scores, topK);
        List<Map<String, Object>> rows = new ArrayList<>();
        long[] sources = new long[order.length];
        long[] targets = new long[order.length];
        double[] importance = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            int edge = p.candidates[order[i]];
            int source = p.wholeGraphUser(p.tensors.sourceIndex()[edge]);
            int target = p.wholeGraphUser(p.tensors.targetIndex()[edge]);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", (long) g.userIds()[source]);
            row.put("target", (long) g.userIds()[target]);
            row.put("importance", (double) scores[order[i]]);
            rows.add(row);
            sources[i] = g.nodeIds()[source];
            targets[i] = g.nodeIds()[target];
            importance[i] = scores[order[i]];
        }
        return new TopEdges(rows, sources, targets, importance);
    }

    private static List<Map<String, Object>> ranked(List<String> names, float[] importance, int topK) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i : Fidelity.top(importance, topK)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("feature", names.get(i));
            row.put("importance", (double) importance[i]);
            rows.add(row);
        }
        return rows;
    }

    /**
     * The head's kriged-likes term of the artist's logit, user by user (exact: the head is linear in the kriged
     * likes, and they are a weighted sum over the visible users near the user): the {@code topK} users whose likes
     * move it most, as {userId, contribution (logit), likes (whether that user likes the artist)}.
     */
    static List<Map<String, Object>> krigedNeighbours(GraphSnapshot g, ArtistSignals signals, float[] head, int user,
                                                      int artist, int topK) {
        double weight = head[ArtistPairFeatures.KRIGED];
        ArtistSignals.Contributions c = signals.krigedContributions(user, artist);
        float[] size = new float[c.users().length];
        for (int i = 0; i < size.length; i++) {
            size[i] = (float) Math.abs(weight * c.amounts()[i]);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i : Fidelity.top(size, topK)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("userId", g.userIds()[c.users()[i]]);
            row.put("contribution", weight * c.amounts()[i]);
            row.put("likes", c.likes()[i]);
            rows.add(row);
        }
        return rows;
    }

    /** The most important artist inputs, or an empty list when artists were not masked. */
    static List<Map<String, Object>> topArtists(GraphSnapshot g, float[] importance, int topK) {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (importance == null) {
            return rows;
        }
        for (int i : Fidelity.top(importance, topK)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("artist", (long) g.artistIds()[i]);
            row.put("importance", (double) importance[i]);
            rows.add(row);
        }
        return rows;
    }

    private static int userIndex(GraphSnapshot g, long userId) {
        int i = g.indexOf(userId);
        if (i < 0) {
            throw new IllegalArgumentException("No user with id " + userId);
        }
        return i;
    }

    /** One prediction ready to explain, on the tensors it runs on; {@code users} maps their indexes back (or null). */
    private record Prediction(ExplainedPrediction explained, int[] candidates, GraphTensors tensors, int[] users) {
        int wholeGraphUser(int index) {
            return users == null ? index : users[index];
        }
    }

    /** A saved region model loaded once with the graph's tensors, for one or many explanations. */
    private final class Session implements AutoCloseable {
        final StoredModel stored;
        final GraphSnapshot graph;
        final RegionModelService.Loaded loaded;
        final int receptiveHops;

        Session(Transaction tx, String modelName) throws IOException {
            stored = catalog.describe(modelName);
            if (!stored.task().equals("region")) {
                throw new IllegalArgumentException("Model '" + modelName + "' is a '" + stored.task()
                        + "' model; region explanations need a region model" + (stored.task().equals("artists")
                        ? " (or give task: 'artists')" : ""));
            }
            graph = GraphExporter.export(tx, null, stored.inputs().contains("artists"));
            loaded = RegionModelService.load(catalog, stored, graph);
            receptiveHops = loaded.network().bodyHops() + stored.refinement().hops();
        }

        int userIndex(long userId) {
            return ExplainService.userIndex(graph, userId);
        }

        /** A seeded sample of labelled users (indexes). */
        int[] sample(int size, long seed) {
            int[] labelled = IntStream.range(0, graph.userCount()).filter(u -> graph.regions()[u] >= 0).toArray();
            Folds.shuffle(labelled, new Random(seed));
            return Arrays.copyOf(labelled, Math.min(size, labelled.length));
        }

        /**
         * The user's served prediction on its computation subgraph when that is small (the same output, less work),
         * else on the whole graph.
         */
        PredictionScope prediction(int user, int hops) {
            NDManager manager = loaded.manager().newSubManager();
            // the correct step's autoscale is a mean over all known users: only the whole graph gives it exactly
            // and a scripted body computes what it needs (degrees) from the edges it is given: the whole graph too
            ComputationSubgraph sub = stored.refinement().correction() > 0 || !loaded.network().exactOnComputationSubgraph()
                    ? null
                    : ComputationSubgraph.of(graph, user, receptiveHops);
            if (sub != null && sub.graph().userCount() <= SUBGRAPH_SHARE * graph.userCount()) {
                GraphTensors tensors = new GraphTensors(manager, sub, loaded.inputs().usesArtists());
                RegionInputs inputs = new RegionInputs(sub.graph(), new LinkedHashSet<>(stored.inputs()), stored.classes(),
                        sub.degrees());
                int at = sub.index(user);
                RegionExplained explained = new RegionExplained(manager, loaded.network(), tensors, inputs,
                        sub.graph().regions(), at, stored.refinement());
                return new PredictionScope(manager, new Prediction(explained,
                        CandidateEdges.of(sub.graph(), tensors, at, hops), tensors, sub.users()));
            }
            RegionExplained explained = new RegionExplained(manager, loaded.network(), loaded.tensors(), loaded.inputs(),
                    graph.regions(), user, stored.refinement());
            return new PredictionScope(manager, new Prediction(explained,
                    CandidateEdges.of(graph, loaded.tensors(), user, hops), loaded.tensors(), null));
        }

        @Override
        public void close() {
            loaded.close();
        }
    }

    /** A prediction and the manager of what was built for it; closing frees those. */
    private record PredictionScope(NDManager manager, Prediction prediction) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }
}

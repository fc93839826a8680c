package org.lastfmgnn.training;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.Refinement;

/**
 * Configuration of {@code lastfm.gnn.train}: the task, the model, how it is evaluated, the hyperparameters
 * (one value each, or several through {@code grid}), the refinements, the inputs and what to write. Every key
 * is checked against the task and model it is given with: a key that does not apply is refused with the reason.
 *
 * @param model     a {@link RegionFamily} label, {@code auto}, or for artists the encoder's architecture
 * @param plans     region: one plan per family the run may pick from (one, or several for {@code auto})
 * @param artistHp  artists: the one point of hyperparameters
 * @param threads   PyTorch's intra-op threads for this run; 0: the server's setting ({@code -Dlastfm.gnn.threads})
 * @param baselines region: train the baselines beside the model on every round (false: only the untrained rules)
 * @param batchSize artists: target users per step
 * @param sampling  region: full batch, or mini-batches of {@code batchSize} seeds on sampled subgraphs ({@code fanouts})
 * @param holdout   friends: the share of friendships the evaluation hides
 * @param concurrency threads for the run's trainings side by side ({@link #trainingsAtOnce}: a region run's rounds and
 *                  final model, an artist run's folds) and its JVM-side work (GDS's setting: default
 *                  {@value #DEFAULT_CONCURRENCY}, at most the cores); results are the same for any value
 * @param device    where the run's tensors live: one of {@link Engines#DEVICES}, resolved when it starts ({@link Engines#device})
 */
public record TrainConfig(String task, String model, Evaluation evaluation, long randomSeed, List<RegionPlan> plans,
                          HyperParameters artistHp, Set<String> inputs, boolean inputsGiven, String modelName,
                          boolean write, String userQuery, boolean mlpBaseline, int topK, int batchSize, int threads,
                          int concurrency, boolean baselines, Sampling sampling, double holdout, String device) {
    public static final String REGION = "region";
    public static final String ARTISTS = "artists";
    /** The link predictor {@code lastfm.recommend.friends} serves with a {@code modelName}. */
    public static final String FRIENDS = "friends";
    public static final String AUTO = "auto";
    /** GDS's default concurrency. */
    public static final int DEFAULT_CONCURRENCY = 4;

    /** The concurrency a procedure runs at unless told: GDS's default, or the cores when there are fewer. */
    public static int defaultConcurrency() {
        return Math.min(DEFAULT_CONCURRENCY, Runtime.getRuntime().availableProcessors());
    }

    /** The body's hyperparameters: grid-able, one value each otherwise. */
    static final List<String> BODY_KEYS = List.of("learningRate", "weightDecay", "hiddenSize", "epochs", "patience",
            "heads", "inputDropout", "dropout");
    /** The refinement's settings: each a value or a list of candidates chosen on validation. */
    static final List<String> REFINEMENT_KEYS = List.of("correction", "smoothing", "propagationSteps");
    static final List<String> REGION_KEYS = List.of("grid", "inputs", "mlpBaseline", "baselines", "fanouts");
    static final List<String> ARTIST_KEYS = List.of("topK");
    static final List<String> FRIEND_KEYS = List.of("holdout");
    /** What a friends run takes: its link predictor's sizes are fixed ({@code LinkPredictor.standard}). */
    static final List<String> FRIEND_TASK_KEYS = List.of("task", "model", "randomSeed", "holdout", "modelName", "write",
            "threads", "device");
    static final List<String> COMMON_KEYS = List.of("task", "model", "folds", "split", "randomSeed", "modelName", "write",
            "userQuery", "threads", "concurrency", "batchSize", "device");
    /** The families {@code model: 'auto'} chooses from, simplest first (a tie on validation goes to the first). */
    public static final List<RegionFamily> AUTO_FAMILIES = List.of(RegionFamily.LABEL_PROPAGATION,
            RegionFamily.CORRECT_AND_SMOOTH, RegionFamily.LABEL_FEATURE_MLP, RegionFamily.GCN, RegionFamily.GAT);
    public static final List<String> KEYS;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static {
        List<String> keys = new ArrayList<>(COMMON_KEYS);
        keys.addAll(REGION_KEYS);
        keys.addAll(ARTIST_KEYS);
        keys.addAll(FRIEND_KEYS);
        keys.addAll(BODY_KEYS);
        keys.addAll(REFINEMENT_KEYS);
        KEYS = List.copyOf(keys);
    }

    /** Region models by name, then {@code auto}. */
    public static List<String> regionModels() {
        List<String> names = new ArrayList<>(RegionFamily.labels());
        names.add(AUTO);
        return names;
    }

    public static TrainConfig parse(Map<String, Object> raw) {
        Map<String, Object> values = raw == null ? Map.of() : raw;
        ConfigMap config = ConfigMap.of("lastfm.gnn.train", values, KEYS);
        String task = config.choice("task", REGION, List.of(REGION, ARTISTS, FRIENDS));
        String model = task.equals(REGION) ? regionModel(config.string("model", "gcn"))
                : config.choice("model", "gcn", task.equals(ARTISTS) ? List.of("gcn", "gat", "mlp") : List.of("gcn"));
        refuseKeysThatDoNotApply(values, task, model);
        Evaluation evaluation = Evaluation.parse("lastfm.gnn.train", config, values);
        long seed = config.integer("randomSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Set<String> inputs = new LinkedHashSet<>();
        boolean inputsGiven = config.has("inputs");
        if (inputsGiven) {
            inputs.addAll(config.strings("inputs", List.of(), RegionInputs.KINDS));
            if (inputs.contains("labels") && !model.equals(AUTO) && !RegionFamily.of(model).readsLabels()) {
                throw new IllegalArgumentException("lastfm.gnn.train: model '" + model + "' reads no label inputs (it is the "
                        + "baseline without them); drop 'labels' from 'inputs', or use a model that reads them: "
                        + "labelFeatureMlp, gcn, gat");
            }
        }
        String name = config.string("modelName", model + "-" + task);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'modelName' must be 1-64 letters, digits, '_' or '-', got '" + name + "'");
        }
        List<RegionPlan> plans = List.of();
        HyperParameters artistHp = null;
        if (task.equals(REGION)) {
            plans = model.equals(AUTO) ? AUTO_FAMILIES.stream().map(TrainConfig::defaultPlan).toList()
                    : List.of(plan(RegionFamily.of(model), values));
        } else if (task.equals(ARTISTS)) {
            artistHp = bodyHyperParameters(values, Architecture.of(model), ARTISTS);
        }
        return new TrainConfig(task, model, evaluation, seed, plans, artistHp, inputs, inputsGiven, name,
                config.bool("write", true), config.string("userQuery", null), config.bool("mlpBaseline", true),
                (int) config.integer("topK", 20, 1, 1000),
                task.equals(ARTISTS) ? (int) config.integer("batchSize", 512, 1, 100_000) : 0,
                (int) config.integer("threads", 0, 1, Runtime.getRuntime().availableProcessors()),
                (int) config.integer("concurrency", defaultConcurrency(), 1, Runtime.getRuntime().availableProcessors()),
                baselines(config), task.equals(REGION) ? sampling(config, values) : Sampling.FULL_BATCH,
                config.number("holdout", 0.1, 0.01, 0.5), config.choice("device", "auto", Engines.DEVICES));
    }

    /**
     * Region training's steps: full batch unless {@code batchSize} is given; then {@code fanouts} (default: every
     * friendship) bounds each hop's sample.
     */
    private static Sampling sampling(ConfigMap config, Map<String, Object> values) {
        if (!config.has("batchSize")) {
            if (config.has("fanouts")) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'fanouts' samples the subgraphs of mini-batches; "
                        + "give 'batchSize' (seed users per step) with it");
            }
            return Sampling.FULL_BATCH;
        }
        int batchSize = (int) config.integer("batchSize", 512, 1, 10_000_000);
        Object given = values.get("fanouts");
        if (given == null) {
            return new Sampling(batchSize, new int[0]);
        }
        List<?> list = given instanceof List<?> l ? l : List.of(given);
        if (list.isEmpty() || list.size() > 8) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'fanouts' must be a list of 1-8 friendship counts per hop "
                    + "(-1: every friendship), e.g. [10, 10], got " + given);
        }
        int[] fanouts = new int[list.size()];
        for (int i = 0; i < fanouts.length; i++) {
            Object o = list.get(i);
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || (n.longValue() < 1 && n.longValue() != -1) || n.longValue() > 100_000) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'fanouts' values must be integers from 1 to 100000, "
                        + "or -1 for every friendship, got " + o);
            }
            fanouts[i] = n.intValue();
        }
        return new Sampling(batchSize, fanouts);
    }

    /**
     * {@code baselines: false} trains none beside the model (a run whose baselines another run on the same folds
     * already measured); asking for the neural ones as well is a contradiction.
     */
    private static boolean baselines(ConfigMap config) {
        boolean baselines = config.bool("baselines", true);
        if (!baselines && config.has("mlpBaseline") && config.bool("mlpBaseline", true)) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'mlpBaseline: true' asks for baselines that "
                    + "'baselines: false' turns off; drop one of them");
        }
        return baselines;
    }

    /**
     * The device the run's tensors live on ({@link Engines#device}); a device this process does not have is refused
     * here, which the procedure asks before it reads or writes anything.
     */
    public Device tensorDevice() {
        try {
            return Engines.device(device);
        } catch (IllegalArgumentException e) {
            // without the cause: Neo4j shows a procedure's innermost cause, which would lose the procedure's name
            throw new IllegalArgumentException("lastfm.gnn.train: " + e.getMessage());
        }
    }

    /** A region run's one plan when it has at most one grid point, so that every round must choose it; else null. */
    public RegionPlan onlyCandidate() {
        return task.equals(REGION) && plans.size() == 1 && plans.get(0).grid().size() <= 1 ? plans.get(0) : null;
    }

    /**
     * How many networks the run trains at once, side by side on up to {@code concurrency} threads: a region run's
     * rounds, and its final model when it is known in advance ({@link #onlyCandidate}); an artist run's folds; one
     * for friends.
     */
    public int trainingsAtOnce() {
        int tasks = switch (task) {
            case REGION -> rounds() + (onlyCandidate() == null ? 0 : 1);
            case ARTISTS -> rounds();
            default -> 1;
        };
        return Math.max(1, Math.min(concurrency, tasks));
    }

    /** Rounds of the evaluation (folds, or repetitions of the split). */
    public int rounds() {
        return evaluation.rounds();
    }

    /** The encoder of an artist model. */
    public Architecture architecture() {
        return Architecture.of(model);
    }

    /** The plan a family gets with no hyperparameter keys: what {@code auto} and the baselines train. */
    public static RegionPlan defaultPlan(RegionFamily family) {
        return plan(family, Map.of());
    }

    private static String regionModel(String value) {
        if (value.toLowerCase(Locale.ROOT).equals(AUTO)) {
            return AUTO;
        }
        try {
            return RegionFamily.of(value).label();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "lastfm.gnn.train: '%s' is not a valid value for 'model'. Allowed: %s", value, regionModels()));
        }
    }

    /** A key given with a task or model it does not apply to is an error that says why. */
    private static void refuseKeysThatDoNotApply(Map<String, Object> values, String task, String model) {
        for (String key : values.keySet()) {
            if (values.get(key) == null) {
                continue;
            }
            String why = null;
            if (task.equals(FRIENDS) && !FRIEND_TASK_KEYS.contains(key)) {
                why = "task 'friends' trains the link predictor of lastfm.recommend.friends, whose sizes are fixed; it "
                        + "takes " + String.join(", ", FRIEND_TASK_KEYS);
            } else if (!task.equals(FRIENDS) && FRIEND_KEYS.contains(key)) {
                why = "it applies to task 'friends' only";
            } else if (task.equals(ARTISTS) && (REGION_KEYS.contains(key) || REFINEMENT_KEYS.contains(key) || key.equals("split"))) {
                why = "it applies to task 'region' only";
            } else if (task.equals(REGION) && ARTIST_KEYS.contains(key)) {
                why = "it applies to task 'artists' only";
            } else if (model.equals(AUTO) && (BODY_KEYS.contains(key) || REFINEMENT_KEYS.contains(key) || key.equals("grid"))) {
                why = "model 'auto' chooses each family's hyperparameters on validation; name a model to set them";
            } else if (key.equals("heads") && !model.equals("gat")) {
                why = "attention heads belong to model 'gat' only";
            } else if (task.equals(REGION) && !model.equals(AUTO)) {
                RegionFamily family = RegionFamily.of(model);
                if (family.body() == null && (BODY_KEYS.contains(key) || key.equals("grid") || key.equals("batchSize")
                        || key.equals("fanouts"))) {
                    why = "model '" + model + "' has no trained part";
                } else if (family == RegionFamily.MLP && REFINEMENT_KEYS.contains(key)) {
                    why = "model 'mlp' is the baseline without propagation; 'correctAndSmooth' is the same MLP refined";
                } else if (family == RegionFamily.LABEL_PROPAGATION && key.equals("correction")) {
                    why = "label propagation has no base prediction to correct";
                }
            }
            if (why != null) {
                throw new IllegalArgumentException("lastfm.gnn.train: '" + key + "' does not apply to task '" + task
                        + "' with model '" + model + "': " + why);
            }
        }
    }

    /** The family's plan from the given keys over its defaults. */
    static RegionPlan plan(RegionFamily family, Map<String, Object> values) {
        List<HyperParameters> grid = List.of();
        if (family.body() != null) {
            Map<String, Object> base = new LinkedHashMap<>();
            for (String key : BODY_KEYS) {
                if (values.get(key) != null) {
                    base.put(key, values.get(key));
                }
            }
            grid = grid(base, gridOf(values.get("grid")), family);
        }
        return new RegionPlan(family, grid, refinements(family, values));
    }

    private static Map<String, List<Object>> gridOf(Object value) {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        if (value == null) {
            return grid;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'grid' must be a map {key: [values]}, got " + value);
        }
        for (var e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (REFINEMENT_KEYS.contains(key)) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'grid' key '" + key + "': refinement settings take their "
                        + "candidates directly, e.g. {" + key + ": [0, 0.5, 0.8]}; validation picks one without retraining");
            }
            if (!BODY_KEYS.contains(key)) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'grid' key '" + key + "' is not a hyperparameter. Valid: " + BODY_KEYS);
            }
            if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'grid." + key + "' must be a non-empty list, got " + e.getValue());
            }
            grid.put(key, new ArrayList<>(values));
        }
        return grid;
    }

    /** Every combination of the grid's values over the base values. */
    private static List<HyperParameters> grid(Map<String, Object> base, Map<String, List<Object>> grid, RegionFamily family) {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>(base));
        for (var axis : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        if (points.size() > 256) {
            throw new IllegalArgumentException("lastfm.gnn.train: the grid has " + points.size() + " points; at most 256");
        }
        List<HyperParameters> out = new ArrayList<>();
        for (Map<String, Object> p : points) {
            out.add(bodyHyperParameters(p, family.body(), REGION));
        }
        return out;
    }

    /** The defaults of a region family's body, as a run without hyperparameter keys uses them. */
    public static HyperParameters defaults(RegionFamily family) {
        return bodyHyperParameters(Map.of(), family.body(), REGION);
    }

    /** The defaults of an artist encoder. */
    public static HyperParameters artistDefaults(Architecture architecture) {
        return bodyHyperParameters(Map.of(), architecture, ARTISTS);
    }

    /**
     * Defaults per architecture: GAT as in its paper (8 heads of 8, lr 0.005). For artists (measured on the
     * synthetic likes): one 64-wide layer, lr 0.005, no weight decay, 40 epochs, dropout 0.2, patience 5 (chosen
     * on fold seeds 1-3: NDCG@20 0.5710/0.5725/0.5719 with 5 and with 10, 0.5710/0.5723/0.5718 with 20; each halving
     * halves the epochs, since the best epoch was mostly the start, then the blend; with the logistic head since, the
     * start is still kept in 12 of 20 folds of seeds 1-3 and 42).
     */
    static HyperParameters bodyHyperParameters(Map<String, Object> given, Architecture architecture, String task) {
        Map<String, Object> values = new LinkedHashMap<>(given);
        values.keySet().retainAll(BODY_KEYS);
        ConfigMap c = ConfigMap.of("lastfm.gnn.train", values, BODY_KEYS);
        boolean gat = architecture == Architecture.GAT;
        if (task.equals(ARTISTS)) {
            return new HyperParameters(
                    c.number("learningRate", 0.005, 1e-6, 1),
                    c.number("weightDecay", 0, 0, 1),
                    hidden(values.get("hiddenSize"), 64),
                    (int) c.integer("epochs", 40, 1, 10_000),
                    (int) c.integer("heads", gat ? 4 : 1, 1, 64),
                    c.number("inputDropout", 0.2, 0, 0.95),
                    c.number("dropout", 0.2, 0, 0.95),
                    (int) c.integer("patience", 5, 1, 10_000));
        }
        return new HyperParameters(
                c.number("learningRate", gat ? 0.005 : 0.01, 1e-6, 1),
                c.number("weightDecay", 5e-4, 0, 1),
                hidden(values.get("hiddenSize"), gat ? 8 : 64),
                (int) c.integer("epochs", 200, 1, 10_000),
                (int) c.integer("heads", gat ? 8 : 1, 1, 64),
                c.number("inputDropout", 0.2, 0, 0.95),
                c.number("dropout", 0.5, 0, 0.95),
                (int) c.integer("patience", 50, 1, 10_000));
    }

    /** Default refinement candidates per family: validation picks one (see {@link RegionPlan}). */
    static List<Refinement> refinements(RegionFamily family, Map<String, Object> values) {
        List<Double> correction;
        List<Double> smoothing;
        List<Integer> steps;
        switch (family) {
            case MLP -> {
                return List.of(Refinement.NONE);
            }
            case LABEL_PROPAGATION -> {
                correction = List.of(0.0);
                smoothing = List.of(0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99);
                steps = List.of(10, 50);
            }
            case CORRECT_AND_SMOOTH -> {
                correction = List.of(0.5, 0.8, 0.9, 0.99);
                smoothing = List.of(0.5, 0.6, 0.7, 0.8, 0.9);
                steps = List.of(10, 50);
            }
            default -> {
                // The networks read the label signals themselves; refining them (C&S on top of the GCN) gained
                // 0.0013 on tuning seed 1 at the price of a whole-graph receptive field for every explanation
                // (BENCHMARKS.md): off unless asked, e.g. {correction: [0, 0.8], smoothing: [0, 0.8]}.
                correction = List.of(0.0);
                smoothing = List.of(0.0);
                steps = List.of(10);
            }
        }
        correction = numbers(values, "correction", correction, 0, 0.999);
        smoothing = numbers(values, "smoothing", smoothing, 0, 0.999);
        steps = numbers(values, "propagationSteps", steps.stream().map(Integer::doubleValue).toList(), 1, 200)
                .stream().map(d -> {
                    if (d != Math.rint(d)) {
                        throw new IllegalArgumentException("lastfm.gnn.train: 'propagationSteps' values must be integers, got " + d);
                    }
                    return d.intValue();
                }).toList();
        if (family == RegionFamily.LABEL_PROPAGATION && smoothing.contains(0.0)) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'smoothing' is label propagation's alpha; 0 would propagate nothing");
        }
        List<Refinement> out = new ArrayList<>();
        for (double a1 : correction) {
            for (double a2 : smoothing) {
                if (a1 == 0 && a2 == 0) {
                    if (!out.contains(Refinement.NONE)) {
                        out.add(Refinement.NONE);
                    }
                    continue;
                }
                for (int k : steps) {
                    out.add(new Refinement(a1, a2, k));
                }
            }
        }
        return out;
    }

    private static <T extends Number> List<Double> numbers(Map<String, Object> values, String key, List<T> defaults,
                                                         double min, double max) {
        Object value = values.get(key);
        if (value == null) {
            return defaults.stream().map(Number::doubleValue).toList();
        }
        List<?> list = value instanceof List<?> l ? l : List.of(value);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("lastfm.gnn.train: '" + key + "' must be a number or a non-empty list of numbers");
        }
        List<Double> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "lastfm.gnn.train: '%s' values must be numbers between %s and %s, got %s", key, min, max, o));
            }
            out.add(n.doubleValue());
        }
        return out;
    }

    private static int[] hidden(Object value, int defaultSize) {
        if (value == null) {
            return new int[] {defaultSize};
        }
        List<?> sizes = value instanceof List<?> l ? l : List.of(value);
        if (sizes.isEmpty() || sizes.size() > 4) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'hiddenSize' must be a size or a list of 1-4 sizes, got " + value);
        }
        int[] out = new int[sizes.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(sizes.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.longValue() < 1 || n.longValue() > 4096) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'hiddenSize' values must be integers from 1 to 4096, got " + sizes.get(i));
            }
            out[i] = n.intValue();
        }
        return out;
    }
}

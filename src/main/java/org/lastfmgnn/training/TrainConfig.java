package org.lastfmgnn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.model.Architecture;

/**
 * Configuration of {@code lastfm.gnn.train}: the task, the model, the cross validation, the hyperparameters
 * (one value each, or several through {@code grid}), the inputs and what to write.
 */
public record TrainConfig(String task, Architecture model, int folds, long randomSeed, List<HyperParameters> grid,
                          Set<String> inputs, boolean inputsGiven, String modelName, boolean write, String userQuery,
                          boolean mlpBaseline, int topK, int batchSize) {
    public static final String REGION = "region";
    public static final String ARTISTS = "artists";

    static final List<String> HYPERPARAMETERS = List.of(
            "learningRate", "weightDecay", "hiddenSize", "epochs", "patience", "heads", "dropout", "smoothing");
    public static final List<String> KEYS;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static {
        List<String> keys = new ArrayList<>(List.of("task", "model", "folds", "randomSeed", "grid", "inputs",
                "modelName", "write", "userQuery", "mlpBaseline", "topK", "batchSize"));
        keys.addAll(HYPERPARAMETERS);
        KEYS = List.copyOf(keys);
    }

    public static TrainConfig parse(Map<String, Object> raw) {
        ConfigMap config = ConfigMap.of("lastfm.gnn.train", raw, KEYS);
        String task = config.choice("task", REGION, List.of(REGION, ARTISTS));
        Architecture model = Architecture.of(config.choice("model", "gcn", List.of("gcn", "gat", "mlp")));
        int folds = (int) config.integer("folds", 5, 2, 20);
        long seed = config.integer("randomSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Map<String, Object> base = new LinkedHashMap<>();
        for (String key : HYPERPARAMETERS) {
            if (config.has(key)) {
                base.put(key, raw.get(key));
            }
        }
        List<HyperParameters> grid = grid(base, gridOf(raw), model, task);
        if (task.equals(ARTISTS) && grid.size() > 1) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'grid' is supported for task 'region'; for 'artists' give one value per hyperparameter");
        }
        Set<String> inputs = new LinkedHashSet<>();
        boolean inputsGiven = config.has("inputs");
        if (inputsGiven) {
            Object value = raw.get("inputs");
            List<?> list = value instanceof List<?> l ? l : List.of(value);
            for (Object o : list) {
                if (!(o instanceof String s) || !RegionInputs.KINDS.contains(s)) {
                    throw new IllegalArgumentException("lastfm.gnn.train: 'inputs' holds '" + o + "'. Allowed: " + RegionInputs.KINDS);
                }
                inputs.add(s);
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'inputs' is empty. Allowed: " + RegionInputs.KINDS);
            }
        }
        String name = config.string("modelName", model.label() + "-" + task);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'modelName' must be 1-64 letters, digits, '_' or '-', got '" + name + "'");
        }
        return new TrainConfig(task, model, folds, seed, grid, inputs, inputsGiven, name, config.bool("write", true),
                config.string("userQuery", null), config.bool("mlpBaseline", true),
                (int) config.integer("topK", 20, 1, 1000), (int) config.integer("batchSize", 512, 1, 100_000));
    }

    private static Map<String, List<Object>> gridOf(Map<String, Object> raw) {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        Object value = raw == null ? null : raw.get("grid");
        if (value == null) {
            return grid;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("lastfm.gnn.train: 'grid' must be a map {key: [values]}, got " + value);
        }
        for (var e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!HYPERPARAMETERS.contains(key)) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'grid' key '" + key + "' is not a hyperparameter. Valid: " + HYPERPARAMETERS);
            }
            if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
                throw new IllegalArgumentException("lastfm.gnn.train: 'grid." + key + "' must be a non-empty list, got " + e.getValue());
            }
            grid.put(key, new ArrayList<>(values));
        }
        return grid;
    }

    /** Every combination of the grid's values over the base values. */
    private static List<HyperParameters> grid(Map<String, Object> base, Map<String, List<Object>> grid, Architecture model,
                                              String task) {
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
            out.add(hyperParameters(p, model, task));
        }
        return out;
    }

    /**
     * Defaults per model: GAT as in its paper (8 heads of 8, lr 0.005); no smoothing for the MLP baseline. For
     * artists (measured on the synthetic likes): one 64-wide layer, lr 0.005, no weight decay, 40 epochs.
     */
    /** The defaults of {@code model} for {@code task}, as a run without hyperparameter keys uses them. */
    public static HyperParameters defaults(Architecture model, String task) {
        return hyperParameters(Map.of(), model, task);
    }

    static HyperParameters hyperParameters(Map<String, Object> values, Architecture model, String task) {
        ConfigMap c = ConfigMap.of("lastfm.gnn.train", values, HYPERPARAMETERS);
        boolean gat = model == Architecture.GAT;
        if (task.equals(ARTISTS)) {
            return new HyperParameters(
                    c.number("learningRate", 0.005, 1e-6, 1),
                    c.number("weightDecay", 0, 0, 1),
                    hidden(values.get("hiddenSize"), 64),
                    (int) c.integer("epochs", 40, 1, 10_000),
                    (int) c.integer("heads", 4, 1, 64),
                    c.number("dropout", 0.2, 0, 0.95),
                    (int) c.integer("patience", 20, 1, 10_000),
                    0);
        }
        return new HyperParameters(
                c.number("learningRate", gat ? 0.005 : 0.01, 1e-6, 1),
                c.number("weightDecay", 5e-4, 0, 1),
                hidden(values.get("hiddenSize"), gat ? 8 : 64),
                (int) c.integer("epochs", 200, 1, 10_000),
                (int) c.integer("heads", 8, 1, 64),
                c.number("dropout", 0.5, 0, 0.95),
                (int) c.integer("patience", 50, 1, 10_000),
                c.number("smoothing", model == Architecture.MLP ? 0 : 0.5, 0, 0.99));
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

package org.lastfmgnn.bench;

import java.util.List;

/**
 * What a benchmark run measures and how often. {@code quick} fits in 15 minutes on a 2-core machine; {@code full}
 * repeats more, gives GDS its whole autotuning budget on every fold and goes to 100x; {@code epochs} measures
 * only the load, the export and the epoch times (a couple of minutes: for before/after comparisons of a change);
 * {@code peer} only our region CV and GDS's pipeline with {@code full}'s autotuning budget (hours: both variants);
 * {@code gds} the same with {@code quick}'s budget, GDS with and without our label features (about 40 minutes);
 * {@code region} every region model and baseline over three fold seeds and the 50/25/25 protocol (about an hour);
 * {@code explain} the explainers' fidelity on 200 users for the default GCN and a GAT (about an hour);
 * {@code friends} the friend evaluation with GDS's link prediction pipeline beside our methods, three seeds. The
 * {@code region} and {@code friends} studies run the fold seeds in {@code seeds} ({@link #REPORTED_SEEDS} unless told).
 */
public record BenchMode(String name, List<String> stages, int loadRepetitions, int repetitions, int warmUpEpochs,
                        int measuredEpochs, int explainUsers, List<Integer> scaleFactors, GdsPipeline.Settings gds,
                        List<Long> seeds) {
    public static final List<String> NAMES = List.of("quick", "full", "epochs", "peer", "gds", "region", "explain", "friends");
    static final List<String> ALL_STAGES = List.of("load", "export", "writeBack", "epochs", "ours", "gds", "explain", "scale");
    /** The fold seeds the region comparison reports; the defaults were chosen on seeds 1-3. */
    public static final List<Long> REPORTED_SEEDS = List.of(42L, 43L, 44L);

    public static BenchMode of(String name, long seed) {
        return of(name, seed, REPORTED_SEEDS);
    }

    /** @param seeds the fold seeds of the {@code region} and {@code friends} studies (to run one seed of several apart) */
    public static BenchMode of(String name, long seed, List<Long> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("--bench-seeds: at least one seed");
        }
        return switch (name) {
            case "quick" -> new BenchMode(name, ALL_STAGES, 2, 5, 3, 15, 5, List.of(1, 2, 4), GdsPipeline.Settings.of(name, seed), List.copyOf(seeds));
            case "full" -> new BenchMode(name, withLabelFeatures(ALL_STAGES), 3, 9, 5, 40, 20, List.of(1, 10, 100),
                    GdsPipeline.Settings.of(name, seed), List.copyOf(seeds));
            case "epochs" -> new BenchMode(name, List.of("load", "export", "epochs"), 0, 5, 3, 15, 0, List.of(), null, List.copyOf(seeds));
            case "peer" -> new BenchMode(name, List.of("load", "export", "ours", "gds", "gdsLabelFeatures"), 0, 1, 0, 0, 0, List.of(),
                    GdsPipeline.Settings.of("full", seed), List.copyOf(seeds));
            case "gds" -> new BenchMode(name, List.of("load", "export", "ours", "gds", "gdsLabelFeatures"), 0, 1, 0, 0, 0, List.of(),
                    GdsPipeline.Settings.of("quick", seed), List.copyOf(seeds));
            case "region" -> new BenchMode(name, List.of("load", "export", "regionStudy"), 0, 1, 0, 0, 0, List.of(), null, List.copyOf(seeds));
            case "explain" -> new BenchMode(name, List.of("load", "export", "explainEvaluate"), 0, 1, 0, 0, 200, List.of(), null, List.copyOf(seeds));
            case "friends" -> new BenchMode(name, List.of("load", "export", "friendStudy"), 0, 1, 0, 0, 0, List.of(), null, List.copyOf(seeds));
            default -> throw new IllegalArgumentException("--bench " + name + ": unknown mode. Valid: " + NAMES);
        };
    }

    /** GDS a second time with our label features as inputs: 25 minutes more, so not in quick. */
    private static List<String> withLabelFeatures(List<String> stages) {
        List<String> all = new java.util.ArrayList<>(stages);
        all.add(all.indexOf("gds") + 1, "gdsLabelFeatures");
        return List.copyOf(all);
    }

    boolean runs(String stage) {
        return stages.contains(stage);
    }
}

package org.lastfmgnn.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lastfmgnn.config.ConfigMap;

/**
 * How held-out accuracy is measured: stratified k-fold cross validation (each fold's training users hold out a
 * stratified 20% for validation), or repeated stratified random splits into train / validation / test (the
 * protocol of most published LastFM Asia results, e.g. 50/25/25). Either way there are {@link #rounds()} rounds,
 * each with its own test users, and nothing of a round's test users is an input or a target in that round.
 */
public record Evaluation(int folds, double trainShare, double validationShare, double testShare, int repetitions) {
    public static Evaluation kFold(int k) {
        return new Evaluation(k, 0, 0, 0, 0);
    }

    public static Evaluation split(double train, double validation, double test, int repetitions) {
        return new Evaluation(0, train, validation, test, repetitions);
    }

    /**
     * The protocol from a procedure's config: {@code folds} (k-fold, default 5) or {@code split} ({train, validation,
     * test, repetitions}), not both; errors name {@code procedure}.
     */
    public static Evaluation parse(String procedure, ConfigMap config, Map<String, Object> values) {
        if (config.has("split")) {
            if (config.has("folds")) {
                throw new IllegalArgumentException(procedure + ": give 'folds' (k-fold cross validation) or 'split' "
                        + "(repeated random splits), not both");
            }
            if (!(values.get("split") instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(procedure + ": 'split' must be a map {train: 0.5, validation: 0.25, "
                        + "test: 0.25, repetitions: 5}, got " + values.get("split"));
            }
            Map<String, Object> split = new LinkedHashMap<>();
            map.forEach((k, v) -> split.put(String.valueOf(k), v));
            ConfigMap s = ConfigMap.of(procedure + " 'split'", split, List.of("train", "validation", "test", "repetitions"));
            double train = s.number("train", 0.5, 0.01, 0.98);
            double validation = s.number("validation", 0.25, 0.01, 0.98);
            double test = s.number("test", 0.25, 0.01, 0.98);
            if (Math.abs(train + validation + test - 1) > 1e-6) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: 'split' shares must add up to 1, got %s + %s + %s", procedure, train, validation, test));
            }
            return split(train, validation, test, (int) s.integer("repetitions", 5, 1, 50));
        }
        return kFold((int) config.integer("folds", 5, 2, 20));
    }

    public boolean isSplit() {
        return repetitions > 0;
    }

    public int rounds() {
        return isSplit() ? repetitions : folds;
    }

    /** Round {@code r}'s users, seeded. */
    public Folds.Split round(int[] labels, int[] foldOf, int r, long seed) {
        return isSplit() ? Folds.randomSplit(labels, trainShare, validationShare, seed + 7919L * (r + 1))
                : Folds.split(foldOf, r, labels, seed);
    }

    /** The fold of each user for k-fold, or null for splits. */
    public int[] foldOf(int[] labels, long seed) {
        return isSplit() ? null : Folds.stratified(labels, folds, seed);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (isSplit()) {
            m.put("train", trainShare);
            m.put("validation", validationShare);
            m.put("test", testShare);
            m.put("repetitions", repetitions);
        } else {
            m.put("folds", folds);
        }
        return m;
    }

    /** What the result calls it: "5-fold" or "50/25/25 x 5". */
    public String describe() {
        return isSplit() ? String.format(java.util.Locale.ROOT, "%.0f/%.0f/%.0f split x %d", 100 * trainShare,
                100 * validationShare, 100 * testShare, repetitions) : folds + "-fold";
    }
}

package org.lastfmgnn.training;

import java.util.LinkedHashMap;
import java.util.Map;

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

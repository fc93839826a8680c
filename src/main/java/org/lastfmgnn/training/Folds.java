package org.lastfmgnn.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.lastfmgnn.graph.IntList;

/** Stratified splits of the labelled users, seeded: the same seed gives the same folds. */
public final class Folds {
    private Folds() {
    }

    /** Fold number (0..k-1) of each user; -1 for users without a label. Each class is dealt round the folds. */
    public static int[] stratified(int[] labels, int k, long seed) {
        int[] fold = new int[labels.length];
        Arrays.fill(fold, -1);
        Random random = new Random(seed);
        int offset = 0;
        for (List<Integer> members : byClass(labels)) {
            Collections.shuffle(members, random);
            for (int i = 0; i < members.size(); i++) {
                fold[members.get(i)] = (offset + i) % k;
            }
            offset += members.size(); // continue the deal where the last class stopped: folds stay equal in size
        }
        return fold;
    }

    /**
     * One fold of a k-fold run: the test users, the training users, and inside those a stratified 20%
     * validation split and the rest ("fit") that the model learns from.
     */
    public record Split(boolean[] trainMask, boolean[] testMask, int[] train, int[] test, int[] validation, int[] fit) {
    }

    /** Fold {@code f} of {@code foldOf}; the validation split is stratified by {@code labels} and seeded. */
    public static Split split(int[] foldOf, int f, int[] labels, long seed) {
        int n = foldOf.length;
        boolean[] train = new boolean[n];
        boolean[] test = new boolean[n];
        for (int u = 0; u < n; u++) {
            train[u] = foldOf[u] >= 0 && foldOf[u] != f;
            test[u] = foldOf[u] == f;
        }
        int[] trainUsers = members(train);
        boolean[] validation = holdOut(trainUsers, labels, 0.2, seed + 1000L * (f + 1));
        boolean[] fit = train.clone();
        for (int u = 0; u < n; u++) {
            fit[u] &= !validation[u];
        }
        return new Split(train, test, trainUsers, members(test), members(validation), members(fit));
    }

    /**
     * A stratified random split of the labelled users: {@code train} of them to fit, {@code validation} to
     * select, the rest to test; seeded. Each class is shuffled and cut at the same shares.
     */
    public static Split randomSplit(int[] labels, double train, double validation, long seed) {
        int n = labels.length;
        boolean[] fit = new boolean[n];
        boolean[] held = new boolean[n];
        boolean[] test = new boolean[n];
        Random random = new Random(seed);
        for (List<Integer> members : byClass(labels)) {
            Collections.shuffle(members, random);
            int fitCount = (int) Math.round(members.size() * train);
            int validationCount = (int) Math.round(members.size() * validation);
            for (int i = 0; i < members.size(); i++) {
                int u = members.get(i);
                if (i < fitCount) {
                    fit[u] = true;
                } else if (i < fitCount + validationCount) {
                    held[u] = true;
                } else {
                    test[u] = true;
                }
            }
        }
        boolean[] trainMask = new boolean[n];
        for (int u = 0; u < n; u++) {
            trainMask[u] = fit[u] || held[u];
        }
        return new Split(trainMask, test, members(trainMask), members(test), members(held), members(fit));
    }

    /** A stratified {@code fraction} of {@code users} (by their labels), for validation. */
    public static boolean[] holdOut(int[] users, int[] labels, double fraction, long seed) {
        int[] sub = new int[users.length];
        for (int i = 0; i < users.length; i++) {
            sub[i] = labels[users[i]];
        }
        int k = (int) Math.round(1 / fraction);
        int[] fold = stratified(sub, k, seed);
        boolean[] held = new boolean[labels.length];
        for (int i = 0; i < users.length; i++) {
            held[users[i]] = fold[i] == 0;
        }
        return held;
    }

    public static int[] members(boolean[] mask) {
        IntList out = new IntList();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                out.add(i);
            }
        }
        return out.toArray();
    }

    private static List<List<Integer>> byClass(int[] labels) {
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        List<List<Integer>> groups = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                groups.get(labels[i]).add(i);
            }
        }
        return groups;
    }

    /** Fisher-Yates with the caller's generator: reproducible for a seed. */
    public static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}

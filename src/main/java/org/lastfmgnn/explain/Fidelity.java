package org.lastfmgnn.explain;

import java.util.Arrays;

/**
 * Fidelity of an explanation, as PyTorch Geometric's {@code torch_geometric.explain.metric.fidelity} and
 * GraphFramEx (Amara et al. 2022) define it for a model explanation: S is the explanation's top k candidate
 * edges, G \ S the graph without them, G_S the graph with only them as message edges (self-loops stay).
 * <ul>
 *   <li>prediction form: fid+ = 1(argmax on G \ S != argmax on G), fid- = 1(argmax on G_S != argmax on G);</li>
 *   <li>probability form: the drop of the explained probability, p(G) - p(G \ S) and p(G) - p(G_S).</li>
 * </ul>
 * A level whose k reaches the number of candidates m removes every candidate: such a user is "excluded"
 * from that level (the comparison between explainers means nothing there).
 */
public final class Fidelity {
    /** One sparsity level: the top {@code k} edges, or the top {@code fraction} of the candidates (at least 1). */
    public record Level(int k, double fraction) {
        public static Level top(int k) {
            return new Level(k, 0);
        }

        public static Level share(double fraction) {
            return new Level(0, fraction);
        }

        public int edges(int candidates) {
            return k > 0 ? k : Math.max(1, (int) Math.ceil(fraction * candidates));
        }

        public String label() {
            return k > 0 ? "top-" + k : String.format(java.util.Locale.ROOT, "%s%%", trim(fraction * 100));
        }

        private static String trim(double percent) {
            return percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
        }
    }

    /** One user's fidelity at one level. */
    public record Point(boolean excluded, int k, double plusPrediction, double minusPrediction, double plusProbability,
                        double minusProbability) {
    }

    private Fidelity() {
    }

    /** The top {@code k} candidate positions by score (ties: the earlier candidate). */
    public static int[] top(float[] scores, int k) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> scores[b] != scores[a] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
        int[] out = new int[Math.min(k, scores.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** @param baseline the user's output on the whole graph ({@code p.probabilities(null)}) */
    public static Point measure(ExplainedPrediction p, float[] baseline, int[] candidates, float[] edgeScores, Level level) {
        int m = candidates.length;
        int k = level.edges(m);
        if (k >= m) {
            return new Point(true, k, 0, 0, 0, 0);
        }
        int[] chosen = top(edgeScores, k);
        int edges = p.graph().edgeCount();
        float[] without = new float[edges];
        Arrays.fill(without, 1f);
        float[] only = new float[edges];
        int[] source = p.graph().sourceIndex();
        int[] target = p.graph().targetIndex();
        for (int e = 0; e < edges; e++) {
            only[e] = source[e] == target[e] ? 1f : 0f;
        }
        for (int i : chosen) {
            without[candidates[i]] = 0f;
            only[candidates[i]] = 1f;
        }
        float[] removed = p.probabilities(without);
        float[] kept = p.probabilities(only);
        int c = p.explainedClass();
        if (!p.isClassifier()) {
            return new Point(false, k, 0, 0, baseline[0] - removed[0], baseline[0] - kept[0]);
        }
        int predicted = argmax(baseline);
        return new Point(false, k, argmax(removed) != predicted ? 1 : 0, argmax(kept) != predicted ? 1 : 0,
                baseline[c] - removed[c], baseline[c] - kept[c]);
    }

    /** GraphFramEx's characterization score with w+ = w- = 0.5: the harmonic mean of fid+ and 1 - fid-. */
    public static double characterization(double plus, double minus) {
        if (plus <= 0 || minus >= 1) {
            return 0;
        }
        return 1 / (0.5 / plus + 0.5 / (1 - minus));
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}

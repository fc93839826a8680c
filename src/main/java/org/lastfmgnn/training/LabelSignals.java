package org.lastfmgnn.training;

import org.lastfmgnn.graph.GraphSnapshot;

/**
 * What the known labels say about each user, computed from the labels of the users marked as inputs only.
 * This is the "labels as features" signal (and the whole of label propagation): nothing here can see a label
 * that is not an input.
 */
public final class LabelSignals {
    private LabelSignals() {
    }

    /** One-hot rows [n x classes] of the input users' labels; zero rows elsewhere. */
    public static float[] oneHot(int[] labels, boolean[] isInput, int classes) {
        float[] y = new float[labels.length * classes];
        for (int u = 0; u < labels.length; u++) {
            if (isInput[u] && labels[u] >= 0) {
                y[u * classes + labels[u]] = 1;
            }
        }
        return y;
    }

    /**
     * The label distribution of each user's neighbours, averaged over the neighbours that carry a signal
     * ([n x classes]); {@code known} receives the share of neighbours that did (density-free, so training with
     * half the labels hidden and testing with all of them see the same scale).
     */
    public static float[] neighbourDistribution(GraphSnapshot g, float[] signal, int classes, float[] known) {
        int n = g.userCount();
        float[] out = new float[n * classes];
        int[] offsets = g.friendOffsets();
        int[] friends = g.friends();
        for (int u = 0; u < n; u++) {
            int carrying = 0;
            for (int e = offsets[u]; e < offsets[u + 1]; e++) {
                int v = friends[e];
                float mass = 0;
                for (int c = 0; c < classes; c++) {
                    float x = signal[v * classes + c];
                    out[u * classes + c] += x;
                    mass += x;
                }
                if (mass > 0) {
                    carrying++;
                }
            }
            if (carrying > 0) {
                float total = 0;
                for (int c = 0; c < classes; c++) {
                    total += out[u * classes + c];
                }
                for (int c = 0; c < classes; c++) {
                    out[u * classes + c] /= total;
                }
            }
            int degree = offsets[u + 1] - offsets[u];
            known[u] = degree == 0 ? 0 : carrying / (float) degree;
        }
        return out;
    }

    /**
     * Label propagation (Zhou et al. 2004): Y(t+1) = alpha * D^-1/2 A D^-1/2 Y(t) + (1 - alpha) * Y0, with the
     * input labels as Y0. Returns the scores [n x classes].
     */
    public static float[] propagate(GraphSnapshot g, float[] y0, int classes, double alpha, int iterations) {
        int n = g.userCount();
        int[] offsets = g.friendOffsets();
        int[] friends = g.friends();
        float[] inv = new float[n];
        for (int u = 0; u < n; u++) {
            int d = offsets[u + 1] - offsets[u];
            inv[u] = d == 0 ? 0 : (float) (1 / Math.sqrt(d));
        }
        float[] y = y0.clone();
        float[] next = new float[y.length];
        for (int it = 0; it < iterations; it++) {
            for (int u = 0; u < n; u++) {
                for (int c = 0; c < classes; c++) {
                    next[u * classes + c] = (float) ((1 - alpha) * y0[u * classes + c]);
                }
                for (int e = offsets[u]; e < offsets[u + 1]; e++) {
                    int v = friends[e];
                    float w = (float) (alpha * inv[u] * inv[v]);
                    for (int c = 0; c < classes; c++) {
                        next[u * classes + c] += w * y[v * classes + c];
                    }
                }
            }
            float[] t = y;
            y = next;
            next = t;
        }
        return y;
    }

    /**
     * The "smooth" half of Correct and Smooth (Huang et al. 2021): the model's probabilities, with the input
     * users' rows replaced by their known labels, propagated over the friendship graph. Returns [n x classes].
     */
    public static float[] smooth(GraphSnapshot g, float[] probabilities, int[] labels, boolean[] isInput, int classes,
                                 double alpha, int iterations) {
        float[] y0 = probabilities.clone();
        for (int u = 0; u < labels.length; u++) {
            if (isInput[u] && labels[u] >= 0) {
                java.util.Arrays.fill(y0, u * classes, (u + 1) * classes, 0f);
                y0[u * classes + labels[u]] = 1;
            }
        }
        return propagate(g, y0, classes, alpha, iterations);
    }
}

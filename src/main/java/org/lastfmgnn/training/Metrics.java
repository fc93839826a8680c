package org.lastfmgnn.training;

/** Classification metrics over the users of a mask, from what was actually predicted. */
public final class Metrics {
    private Metrics() {
    }

    public static double accuracy(int[] predicted, int[] labels, int[] users) {
        int correct = 0;
        for (int u : users) {
            if (predicted[u] == labels[u]) {
                correct++;
            }
        }
        return users.length == 0 ? 0 : correct / (double) users.length;
    }

    /** Mean F1 over the classes present among {@code users} (true or predicted). */
    public static double macroF1(int[] predicted, int[] labels, int[] users, int classes) {
        long[] tp = new long[classes];
        long[] fp = new long[classes];
        long[] fn = new long[classes];
        for (int u : users) {
            if (predicted[u] == labels[u]) {
                tp[labels[u]]++;
            } else {
                fn[labels[u]]++;
                if (predicted[u] >= 0) {
                    fp[predicted[u]]++;
                }
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (tp[c] + fp[c] + fn[c] > 0) {
                sum += 2.0 * tp[c] / (2.0 * tp[c] + fp[c] + fn[c]);
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }

    public static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? 0 : s / values.length;
    }

    /** Sample standard deviation. */
    public static double std(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double s = 0;
        for (double v : values) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (values.length - 1));
    }

    public static int argmax(float[] row, int offset, int length) {
        int best = 0;
        for (int c = 1; c < length; c++) {
            if (row[offset + c] > row[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}

package org.lastfmgnn.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fidelity of one explainer at one sparsity level over a sample of users: the means, a bootstrap 95% interval
 * over users for each, and the users left out because the level covers all their candidate edges.
 */
public final class ExplainerEvaluation {
    /** A row of {@code lastfm.explain.evaluate}. */
    public record Row(String method, String sparsity, long users, long usersExcluded, double fidelityPlus,
                      double fidelityPlusLow, double fidelityPlusHigh, double fidelityMinus, double fidelityMinusLow,
                      double fidelityMinusHigh, double characterization, double characterizationLow,
                      double characterizationHigh, double fidelityPlusProbability, double fidelityPlusProbabilityLow,
                      double fidelityPlusProbabilityHigh, double fidelityMinusProbability, double meanEdges,
                      double explainMillis) {
    }

    private static final int RESAMPLES = 1000;

    private final String method;
    private final String sparsity;
    private final List<double[]> points = new ArrayList<>(); // per user: fid+, fid-, fid+ prob, fid- prob, k
    private long excluded;
    private double millis;
    private int explained;

    public ExplainerEvaluation(String method, String sparsity) {
        this.method = method;
        this.sparsity = sparsity;
    }

    /** Adds one user's point; several draws of a random explainer are averaged into one point first. */
    public void add(List<Fidelity.Point> draws, double explainMillis) {
        explained++;
        millis += explainMillis;
        if (draws.get(0).excluded()) {
            excluded++;
            return;
        }
        double[] mean = new double[5];
        for (Fidelity.Point p : draws) {
            mean[0] += p.plusPrediction() / draws.size();
            mean[1] += p.minusPrediction() / draws.size();
            mean[2] += p.plusProbability() / draws.size();
            mean[3] += p.minusProbability() / draws.size();
            mean[4] += p.k() / (double) draws.size();
        }
        points.add(mean);
    }

    public Row row(long seed) {
        int n = points.size();
        double[] means = means(points);
        Random random = new Random(seed);
        double[][] resampled = new double[6][RESAMPLES];
        for (int b = 0; b < RESAMPLES && n > 0; b++) {
            List<double[]> sample = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sample.add(points.get(random.nextInt(n)));
            }
            double[] m = means(sample);
            for (int j = 0; j < 4; j++) {
                resampled[j][b] = m[j];
            }
            resampled[5][b] = Fidelity.characterization(m[0], m[1]);
        }
        double[][] interval = new double[6][];
        for (int j = 0; j < 6; j++) {
            interval[j] = n == 0 ? new double[] {0, 0} : percentiles(resampled[j]);
        }
        return new Row(method, sparsity, n, excluded, means[0], interval[0][0], interval[0][1], means[1], interval[1][0],
                interval[1][1], Fidelity.characterization(means[0], means[1]), interval[5][0], interval[5][1], means[2],
                interval[2][0], interval[2][1], means[3], means[4], explained == 0 ? 0 : millis / explained);
    }

    private static double[] means(List<double[]> points) {
        double[] m = new double[5];
        for (double[] p : points) {
            for (int j = 0; j < 5; j++) {
                m[j] += p[j] / points.size();
            }
        }
        return m;
    }

    private static double[] percentiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) Math.floor(0.025 * (sorted.length - 1))],
                sorted[(int) Math.ceil(0.975 * (sorted.length - 1))]};
    }

    /** The row as a map (report.json). */
    public static Map<String, Object> toMap(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (var c : Row.class.getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }
}

package org.lastfmgnn.training;

import org.lastfmgnn.graph.Workers;

/**
 * L2-regularised logistic regression fitted by Newton's method: mean log loss + {@code l2} |w|^2 (the intercept
 * not penalised) on standardised columns, so that one {@code l2} suits columns of any scale; the weights come back
 * in the columns' own units. For a few dozen columns and up to millions of rows: each iteration is one pass that
 * sums the gradient and the Hessian over fixed row chunks (by {@code workers}, added in chunk order: the same
 * weights for any concurrency), and a d x d solve.
 */
public final class LogisticRegression {
    private static final int CHUNK = 16_384;
    private static final int MAX_ITERATIONS = 50;
    private static final double TOLERANCE = 1e-7;

    private LogisticRegression() {
    }

    /**
     * @param x    rows x d, row-major
     * @param y    rows labels, 0 or 1
     * @return d weights, then the intercept: logit = w . x + b
     */
    public static double[] fit(float[] x, float[] y, int d, double l2, Workers workers) {
        int rows = y.length;
        if (x.length != (long) rows * d) {
            throw new IllegalArgumentException("x has " + x.length + " values, not " + rows + " rows of " + d);
        }
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[r * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= Math.max(1, rows);
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                double c = x[r * d + j] - mean[j];
                sd[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / Math.max(1, rows)) + 1e-9;
        }
        int p = d + 1; // the standardised columns, then the intercept
        double[] w = new double[p];
        double loss = pass(x, y, d, mean, sd, w, l2, null, null, workers);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[p];
            double[] hessian = new double[p * p];
            pass(x, y, d, mean, sd, w, l2, gradient, hessian, workers);
            double[] step = solve(hessian, gradient, p);
            // Newton's step, halved while it does not lower the loss (the loss is convex: a short enough step does)
            double scale = 1;
            double[] next = new double[p];
            double nextLoss = loss;
            for (int tries = 0; tries < 30; tries++) {
                for (int j = 0; j < p; j++) {
                    next[j] = w[j] - scale * step[j];
                }
                nextLoss = pass(x, y, d, mean, sd, next, l2, null, null, workers);
                if (nextLoss <= loss) {
                    break;
                }
                scale /= 2;
            }
            if (nextLoss > loss) {
                break;
            }
            double change = 0;
            for (int j = 0; j < p; j++) {
                change = Math.max(change, Math.abs(next[j] - w[j]));
            }
            w = next;
            boolean converged = loss - nextLoss < TOLERANCE * TOLERANCE || change < TOLERANCE;
            loss = nextLoss;
            if (converged) {
                break;
            }
        }
        double[] out = new double[p];
        out[d] = w[d];
        for (int j = 0; j < d; j++) {
            out[j] = w[j] / sd[j];
            out[d] -= w[j] * mean[j] / sd[j];
        }
        return out;
    }

    /** The penalised mean loss at {@code w}; with {@code gradient} and {@code hessian} given, those too. */
    private static double pass(float[] x, float[] y, int d, double[] mean, double[] sd, double[] w, double l2,
                               double[] gradient, double[] hessian, Workers workers) {
        int rows = y.length;
        int p = d + 1;
        int chunks = (rows + CHUNK - 1) / CHUNK;
        double[] losses = new double[chunks];
        double[][] gradients = gradient == null ? null : new double[chunks][p];
        double[][] hessians = hessian == null ? null : new double[chunks][p * p];
        workers.forEach(chunks, c -> {
            double[] z = new double[p];
            z[d] = 1;
            double sum = 0;
            for (int r = c * CHUNK; r < Math.min(rows, (c + 1) * CHUNK); r++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    z[j] = (x[r * d + j] - mean[j]) / sd[j];
                    s += w[j] * z[j];
                }
                s += w[d];
                // log(1 + e^s) - y s, stably
                sum += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - y[r] * s;
                if (gradients != null) {
                    double prob = 1 / (1 + Math.exp(-s));
                    double residual = prob - y[r];
                    double curvature = prob * (1 - prob);
                    for (int j = 0; j < p; j++) {
                        gradients[c][j] += residual * z[j];
                        double cz = curvature * z[j];
                        for (int k = 0; k <= j; k++) {
                            hessians[c][j * p + k] += cz * z[k];
                        }
                    }
                }
            }
            losses[c] = sum;
        });
        double loss = 0;
        for (int c = 0; c < chunks; c++) { // in chunk order: the same sums for any concurrency
            loss += losses[c];
            if (gradient != null) {
                for (int j = 0; j < p; j++) {
                    gradient[j] += gradients[c][j];
                }
                for (int j = 0; j < p * p; j++) {
                    hessian[j] += hessians[c][j];
                }
            }
        }
        double n = Math.max(1, rows);
        double penalty = 0;
        for (int j = 0; j < d; j++) {
            penalty += w[j] * w[j];
        }
        if (gradient != null) {
            for (int j = 0; j < p; j++) {
                gradient[j] /= n;
                for (int k = 0; k <= j; k++) {
                    hessian[j * p + k] /= n;
                    hessian[k * p + j] = hessian[j * p + k];
                }
            }
            for (int j = 0; j < d; j++) {
                gradient[j] += 2 * l2 * w[j];
                hessian[j * p + j] += 2 * l2;
            }
            hessian[d * p + d] += 1e-9; // the intercept's curvature is never exactly zero, but keep the solve safe
        }
        return loss / n + l2 * penalty;
    }

    /**
     * Solves H s = g for symmetric positive definite H (p x p, row-major) by Cholesky. Written here rather than
     * taken from commons-math3: GDS's runtime carries that library, but a server's GDS plugin need not expose it,
     * and the plugin jar bundles nothing the server is meant to provide.
     */
    static double[] solve(double[] h, double[] g, int p) {
        double[] l = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = h[i * p + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * p + k] * l[j * p + k];
                }
                if (i == j) {
                    if (sum <= 0) {
                        throw new IllegalStateException("logistic regression: the Hessian is not positive definite");
                    }
                    l[i * p + i] = Math.sqrt(sum);
                } else {
                    l[i * p + j] = sum / l[j * p + j];
                }
            }
        }
        double[] t = new double[p];
        for (int i = 0; i < p; i++) {
            double sum = g[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i * p + k] * t[k];
            }
            t[i] = sum / l[i * p + i];
        }
        double[] s = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double sum = t[i];
            for (int k = i + 1; k < p; k++) {
                sum -= l[k * p + i] * s[k];
            }
            s[i] = sum / l[i * p + i];
        }
        return s;
    }
}

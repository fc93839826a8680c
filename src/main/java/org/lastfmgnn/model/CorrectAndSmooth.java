package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The two propagation steps of Correct and Smooth (Huang et al. 2021), as PyTorch Geometric defines them
 * ({@code torch_geometric.nn.models.CorrectAndSmooth} with {@code autoscale=True}, {@code LabelPropagation}):
 * tensor operations over {@link GraphTensors.Adjacency#SYMMETRIC}, so an edge mask reaches them. Shapes: base
 * predictions and labels [N x C], {@code known} [N x 1] (1 for the users whose label is an input).
 * Label propagation (Zhou et al. 2004) is {@link #smooth} of an all-zero base.
 *
 * <p>Each step takes several alphas at once: the K runs share every sparse product ([N x C K] wide), which is
 * what makes trying many candidates on validation cheap.
 */
public final class CorrectAndSmooth {
    private CorrectAndSmooth() {
    }

    /** {@link #correct(GraphTensors, NDArray, NDArray, NDArray, double[], int)} for one alpha. */
    public static NDArray correct(GraphTensors graph, NDArray base, NDArray labels, NDArray known, double alpha, int steps) {
        return correct(graph, base, labels, known, new double[] {alpha}, steps)[0];
    }

    /** {@link #smooth(GraphTensors, NDArray, NDArray, NDArray, double[], int)} for one alpha. */
    public static NDArray smooth(GraphTensors graph, NDArray base, NDArray labels, NDArray known, double alpha, int steps) {
        return smooth(graph, base, labels, known, new double[] {alpha}, steps)[0];
    }

    /**
     * Correct: the known users' residuals E0 = Y - Z spread by E &lt;- a S E + (1 - a) E0 (clamped to [-1, 1] each
     * step), then Z + scale * E with each row's scale = mean |E0| / |E row| ("autoscale"; 1 where that exceeds
     * 1000 or the row is empty). One result per alpha.
     */
    public static NDArray[] correct(GraphTensors graph, NDArray base, NDArray labels, NDArray known, double[] alphas,
                                    int steps) {
        int k = alphas.length;
        int classes = (int) base.getShape().get(1);
        NDArray residual = labels.sub(base).mul(known);
        NDArray start = tile(residual, k);
        NDArray alpha = alphaColumns(base, alphas, classes);
        NDArray keep = alpha.neg().add(1f).mul(start);
        NDArray spread = start;
        for (int i = 0; i < steps; i++) {
            spread = step(graph, spread, start, alpha, keep, -1f);
        }
        NDArray sigma = residual.abs().sum().div(known.sum().maximum(Tensors.scalar(known.getManager(), 1f)));
        NDArray[] out = new NDArray[k];
        for (int j = 0; j < k; j++) {
            NDArray e = block(spread, j, classes);
            NDArray size = e.abs().sum(new int[] {1}, true);
            NDArray regular = size.mul(Tensors.scalar(size.getManager(), 1000f)).gt(sigma);
            NDArray floor = Tensors.scalar(size.getManager(), 1e-30f);
            NDArray scale = NDArrays.where(regular, sigma.div(size.maximum(floor)), size.onesLike());
            out[j] = base.add(e.mul(scale));
        }
        return out;
    }

    /**
     * Smooth: the known users' rows reset to their labels, then G &lt;- a S G + (1 - a) G0, clamped to [0, 1] each
     * step. One result per alpha.
     */
    public static NDArray[] smooth(GraphTensors graph, NDArray base, NDArray labels, NDArray known, double[] alphas,
                                   int steps) {
        return smooth(graph, new NDArray[] {base}, labels, known, new double[][] {alphas}, steps)[0];
    }

    /**
     * {@link #smooth(GraphTensors, NDArray, NDArray, NDArray, double[], int)} of several bases at once, base i with
     * {@code alphas[i]}: all runs side by side in one [N x C K] block, so each step is one sparse product for all of
     * them (PyTorch's CPU sparse product costs about as much per non-zero at width 90 as at 360). Each column is
     * summed in the same order as alone, so every result equals its own call's to the bit
     * ({@code CorrectAndSmoothTest}). Returns result [i][j] for base i, alpha j.
     */
    public static NDArray[][] smooth(GraphTensors graph, NDArray[] bases, NDArray labels, NDArray known,
                                     double[][] alphas, int steps) {
        int classes = (int) labels.getShape().get(1);
        NDArray unknown = known.neg().add(1f);
        NDList starts = new NDList();
        int width = 0;
        for (int i = 0; i < bases.length; i++) {
            starts.add(tile(bases[i].mul(unknown).add(labels), alphas[i].length));
            width += alphas[i].length;
        }
        NDArray start = starts.size() == 1 ? starts.get(0) : NDArrays.concat(starts, 1);
        double[] all = new double[width];
        int at = 0;
        for (double[] a : alphas) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        NDArray alpha = alphaColumns(bases[0], all, classes);
        NDArray keep = alpha.neg().add(1f).mul(start);
        NDArray g = start;
        for (int i = 0; i < steps; i++) {
            g = step(graph, g, start, alpha, keep, 0f);
        }
        NDArray[][] out = new NDArray[bases.length][];
        at = 0;
        for (int i = 0; i < bases.length; i++) {
            out[i] = new NDArray[alphas[i].length];
            for (int j = 0; j < alphas[i].length; j++) {
                out[i][j] = block(g, at++, classes);
            }
        }
        return out;
    }

    /**
     * One propagation step, x &lt;- clip(a S x + keep, low, 1), freeing the step's intermediates and the previous x
     * (unless it is the start) at once: 50 steps of a wide block would otherwise hold gigabytes until the caller's
     * scope closes. Autograd keeps what it needs on its own references.
     */
    private static NDArray step(GraphTensors graph, NDArray x, NDArray start, NDArray alpha, NDArray keep, float low) {
        NDArray propagated = graph.propagate(GraphTensors.Adjacency.SYMMETRIC, x);
        NDArray scaled = propagated.mul(alpha);
        propagated.close();
        NDArray kept = scaled.add(keep);
        scaled.close();
        NDArray next = kept.clip(low, 1f);
        kept.close();
        if (x != start) {
            x.close();
        }
        return next;
    }

    /** [N x C] repeated k times side by side: [N x C k]. */
    private static NDArray tile(NDArray x, int k) {
        if (k == 1) {
            return x;
        }
        NDList copies = new NDList();
        for (int j = 0; j < k; j++) {
            copies.add(x);
        }
        return NDArrays.concat(copies, 1);
    }

    /** [1 x C k]: alpha j on the columns of block j. */
    private static NDArray alphaColumns(NDArray like, double[] alphas, int classes) {
        float[] a = new float[alphas.length * classes];
        for (int j = 0; j < alphas.length; j++) {
            java.util.Arrays.fill(a, j * classes, (j + 1) * classes, (float) alphas[j]);
        }
        return Tensors.of(like.getManager(), a, new Shape(1, a.length));
    }

    private static NDArray block(NDArray x, int j, int classes) {
        return x.get(":, " + (j * classes) + ":" + ((j + 1) * classes));
    }
}

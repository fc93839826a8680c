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
            spread = graph.propagate(GraphTensors.Adjacency.SYMMETRIC, spread).mul(alpha).add(keep).clip(-1f, 1f);
        }
        NDArray sigma = residual.abs().sum().div(known.sum().maximum(1f));
        NDArray[] out = new NDArray[k];
        for (int j = 0; j < k; j++) {
            NDArray e = block(spread, j, classes);
            NDArray size = e.abs().sum(new int[] {1}, true);
            NDArray regular = size.mul(1000f).gt(sigma);
            NDArray scale = NDArrays.where(regular, sigma.div(size.maximum(1e-30f)), size.onesLike());
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
        int k = alphas.length;
        int classes = (int) base.getShape().get(1);
        NDArray start = tile(base.mul(known.neg().add(1f)).add(labels), k);
        NDArray alpha = alphaColumns(base, alphas, classes);
        NDArray keep = alpha.neg().add(1f).mul(start);
        NDArray g = start;
        for (int i = 0; i < steps; i++) {
            g = graph.propagate(GraphTensors.Adjacency.SYMMETRIC, g).mul(alpha).add(keep).clip(0f, 1f);
        }
        NDArray[] out = new NDArray[k];
        for (int j = 0; j < k; j++) {
            out[j] = block(g, j, classes);
        }
        return out;
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
        return like.getManager().create(a, new Shape(1, a.length));
    }

    private static NDArray block(NDArray x, int j, int classes) {
        return x.get(":, " + (j * classes) + ":" + ((j + 1) * classes));
    }
}

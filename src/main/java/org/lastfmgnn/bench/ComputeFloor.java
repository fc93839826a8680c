package org.lastfmgnn.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;

/**
 * The least time an epoch could take on this machine: the floating-point work of its matrix products (dense
 * GEMMs and sparse x dense products, forward and backward), each done at the best rate this machine reached on
 * such a product, with the engine's thread setting. Everything else an epoch does (element-wise ops, softmax,
 * gathers, Adam, building inputs on the JVM) is left out, so the floor is a true lower bound, not an estimate.
 */
public final class ComputeFloor {
    /** Floating-point operations per second measured here. */
    public record Rates(double denseFlopsPerSecond, double sparseFlopsPerSecond) {
    }

    /** The products of one epoch, in floating-point operations. */
    public record Work(double denseFlops, double sparseFlops) {
        public double floorMillis(Rates rates) {
            return 1000 * (denseFlops / rates.denseFlopsPerSecond() + sparseFlops / rates.sparseFlopsPerSecond());
        }
    }

    private ComputeFloor() {
    }

    /**
     * A 1024^3 GEMM for the dense rate; for the sparse rate the likes (or, without likes, the normalised
     * adjacency) times a 64-wide dense matrix, as the first layer does. Best of {@code repetitions}.
     */
    public static Rates measure(GraphSnapshot graph, int repetitions) {
        boolean likes = graph.likes().length > 0;
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, graph, likes)) {
            NDArray a = manager.randomUniform(0, 1, new Shape(1024, 1024));
            NDArray b = manager.randomUniform(0, 1, new Shape(1024, 1024));
            double dense = 2.0 * 1024 * 1024 * 1024 / bestSeconds(() -> a.matMul(b).close(), repetitions);
            NDArray sparse = likes ? tensors.artists() : tensors.operator(GraphTensors.Adjacency.GCN);
            long nonZeros = likes ? graph.likes().length : tensors.edgeCount();
            NDArray right = manager.randomUniform(0, 1, new Shape(sparse.getShape().get(1), 64));
            double sparseRate = 2.0 * nonZeros * 64 / bestSeconds(() -> sparse.matMul(right).close(), repetitions);
            return new Rates(dense, sparseRate);
        }
    }

    /**
     * Two layers in -> hidden -> classes. GCN and MLP: forward X W1, H W2; backward their weight gradients and
     * the input gradient of layer 2. GCN adds A (.) forward and A^T (.) backward per layer; the artist input adds
     * likes W_a forward and likes^T G backward. The label signals add four sums over the friendships (widths
     * classes, 1, classes, 1) forward only: their inputs need no gradient. GAT counts its linear maps and its message sums (incidence
     * products over the E message edges) the same way, and leaves its per-edge attention out.
     *
     * @param propagationNonZeros non-zeros of the propagation matrix (GCN: edges + self-loops)
     * @param likes               non-zeros of the likes read as inputs (0: none)
     */
    public static Work epochWork(String architecture, boolean readsLabels, long nodes, int denseInputs, int hidden,
                                 int classes, long propagationNonZeros, long likes) {
        double dense = 2.0 * nodes * (2.0 * denseInputs * hidden + 3.0 * hidden * classes);
        double sparse = likes > 0 ? 2 * 2.0 * likes * hidden : 0;
        if (!architecture.equals("mlp")) {
            sparse += 2 * 2.0 * propagationNonZeros * (hidden + classes);
        }
        if (readsLabels) {
            sparse += 2.0 * (propagationNonZeros - nodes) * (2.0 * classes + 2);
        }
        return new Work(dense, sparse);
    }

    private static double bestSeconds(Runnable work, int repetitions) {
        work.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}

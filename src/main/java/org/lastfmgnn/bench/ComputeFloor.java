package org.lastfmgnn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.SparseProduct;

/**
 * The least time an epoch could take on this machine: the floating-point work of its matrix products (dense
 * GEMMs and sparse x dense products, forward and backward), each done at the best rate this machine reached on
 * such a product, with the engine's thread setting. Everything else an epoch does (element-wise ops, softmax,
 * gathers, Adam, building inputs on the JVM) is left out, so the floor is a true lower bound, not an estimate.
 *
 * <p>A sparse product's rate is measured on the epoch's own matrix at the epoch's own width, with every kernel
 * libtorch offers for it here (the COO product and {@code embedding_bag}, see {@link SparseProduct}), and the
 * fastest counts: a floor measured with a slower kernel than the training could use would not bound it. The
 * backward product of the likes (likes^T G) is measured on the transposed matrix; the propagation matrices' are
 * their forward's (the GCN's is symmetric, and the others have the same non-zeros by row and by column).
 */
public final class ComputeFloor {
    /** The sparse matrices an epoch multiplies by. */
    public enum Matrix {
        /** The normalised friendships with self-loops, [N x N]. */
        PROPAGATION,
        /** The users' likes, [N x artists]. */
        LIKES,
        /** The likes transposed, [artists x N]: their backward product. */
        LIKES_TRANSPOSED
    }

    /**
     * Floating-point operations per second measured here: dense GEMMs, and each sparse matrix at each width
     * (a [C x width] dense right-hand side).
     */
    public record Rates(double denseFlopsPerSecond, Map<Matrix, Map<Integer, Double>> sparseFlopsPerSecond) {
        /**
         * Each product at the faster of the two measurements: a floor is the least time seen, so two measurements
         * (before and after the epochs it bounds) give one no higher than either.
         */
        public Rates fastest(Rates other) {
            Map<Matrix, Map<Integer, Double>> sparse = new TreeMap<>();
            for (Map<Matrix, Map<Integer, Double>> rates : List.of(sparseFlopsPerSecond, other.sparseFlopsPerSecond)) {
                rates.forEach((matrix, byWidth) -> byWidth.forEach((width, rate) ->
                        sparse.computeIfAbsent(matrix, k -> new TreeMap<>()).merge(width, rate, Math::max)));
            }
            return new Rates(Math.max(denseFlopsPerSecond, other.denseFlopsPerSecond), sparse);
        }

        double sparse(Matrix matrix, int width) {
            Double rate = sparseFlopsPerSecond.getOrDefault(matrix, Map.of()).get(width);
            if (rate == null) {
                throw new IllegalArgumentException("no rate measured for " + matrix + " at width " + width
                        + "; measured: " + sparseFlopsPerSecond);
            }
            return rate;
        }
    }

    /**
     * One sparse product of an epoch, {@code times} times over: a matrix with {@code nonZeros} non-zeros (a
     * subset of {@code matrix}'s, e.g. the friendships without self-loops) times a dense matrix {@code width} wide.
     */
    public record SparseTerm(Matrix matrix, long nonZeros, int width, int times) {
        public double flops() {
            return 2.0 * nonZeros * width * times;
        }
    }

    /** The products of one epoch: dense floating-point operations and the sparse products. */
    public record Work(double denseFlops, List<SparseTerm> sparse) {
        public double sparseFlops() {
            return sparse.stream().mapToDouble(SparseTerm::flops).sum();
        }

        public double floorMillis(Rates rates) {
            double seconds = denseFlops / rates.denseFlopsPerSecond();
            for (SparseTerm term : sparse) {
                seconds += term.flops() / rates.sparse(term.matrix(), term.width());
            }
            return 1000 * seconds;
        }
    }

    private ComputeFloor() {
    }

    /**
     * How many times each product of {@link #measure} runs, its best time kept: {@link #REPETITIONS}, or as many as
     * fit in {@link #BUDGET_NANOS} but at least {@link #MIN_REPETITIONS} (the likes' COO product takes 0.1 s). The
     * friendships' products take 0.1-0.6 ms: the best of 5 (the bench's repetitions, until 2026-12-06) wandered by up
     * to a factor of 1.9 between measurements a second apart in one process on a 2-core machine, the first in the
     * process the slowest (kernels and caches cold), and a slow measurement is a floor too high: it flatters every
     * ratio to it.
     */
    static final int REPETITIONS = 50;
    static final int MIN_REPETITIONS = 5;
    static final long BUDGET_NANOS = 1_000_000_000L;

    /**
     * A 1024^3 GEMM for the dense rate; for the sparse rates the propagation matrix at each of {@code widths}, and
     * the likes (when the graph has them) and their transpose at {@code likesWidth}. Each product best of {@link
     * #REPETITIONS} and of its kernels.
     */
    public static Rates measure(GraphSnapshot graph, Device device, int likesWidth, int... widths) {
        boolean likes = graph.likes().length > 0;
        Map<Matrix, Map<Integer, Double>> sparse = new TreeMap<>();
        try (NDManager manager = Engines.newManager(device);
             GraphTensors tensors = new GraphTensors(manager, graph, likes)) {
            NDArray a = manager.randomUniform(0, 1, new Shape(1024, 1024));
            NDArray b = manager.randomUniform(0, 1, new Shape(1024, 1024));
            double dense = 2.0 * 1024 * 1024 * 1024 / bestSeconds(() -> a.matMul(b));
            int n = graph.userCount();
            NDArray propagation = tensors.operator(GraphTensors.Adjacency.GCN);
            long edges = tensors.edgeCount();
            for (int width : widths) {
                NDArray right = manager.randomUniform(0, 1, new Shape(n, width));
                double seconds = Math.min(bestSeconds(() -> propagation.matMul(right)),
                        bestSeconds(() -> tensors.propagate(GraphTensors.Adjacency.GCN, right)));
                sparse.computeIfAbsent(Matrix.PROPAGATION, k -> new TreeMap<>()).put(width, 2.0 * edges * width / seconds);
            }
            if (likes) {
                SparseProduct liked = tensors.artists();
                double flops = 2.0 * liked.nonZeros() * likesWidth;
                NDArray artistsWide = manager.randomUniform(0, 1, new Shape(liked.coo().getShape().get(1), likesWidth));
                sparse.put(Matrix.LIKES, Map.of(likesWidth, flops / Math.min(
                        bestSeconds(() -> liked.coo().matMul(artistsWide)),
                        bestSeconds(() -> liked.times(artistsWide)))));
                // the COO product's backward multiplies by the transposed COO tensor, as here
                NDArray usersWide = manager.randomUniform(0, 1, new Shape(n, likesWidth));
                NDArray transposed = liked.coo().swapAxes(0, 1);
                sparse.put(Matrix.LIKES_TRANSPOSED, Map.of(likesWidth, flops / Math.min(
                        bestSeconds(() -> transposed.matMul(usersWide)),
                        bestSeconds(() -> liked.transposedTimes(usersWide)))));
            }
            return new Rates(dense, sparse);
        }
    }

    /**
     * Two layers in -> hidden -> classes. GCN and MLP: forward X W1, H W2; backward their weight gradients and
     * the input gradient of layer 2. GCN adds A (.) forward and A^T (.) backward per layer; the artist input adds
     * likes W_a forward and likes^T G backward. The label signals add four sums over the friendships (widths
     * classes, 1, classes, 1) forward only: their inputs need no gradient. GAT counts its linear maps and its
     * message sums (incidence products over the E message edges) the same way, and leaves its per-edge attention out.
     *
     * @param propagationNonZeros non-zeros of the propagation matrix (GCN: edges + self-loops)
     * @param likes               non-zeros of the likes read as inputs (0: none)
     */
    public static Work epochWork(String architecture, boolean readsLabels, long nodes, int denseInputs, int hidden,
                                 int classes, long propagationNonZeros, long likes) {
        double dense = 2.0 * nodes * (2.0 * denseInputs * hidden + 3.0 * hidden * classes);
        List<SparseTerm> sparse = new ArrayList<>();
        if (likes > 0) {
            sparse.add(new SparseTerm(Matrix.LIKES, likes, hidden, 1));
            sparse.add(new SparseTerm(Matrix.LIKES_TRANSPOSED, likes, hidden, 1));
        }
        if (!architecture.equals("mlp")) {
            sparse.add(new SparseTerm(Matrix.PROPAGATION, propagationNonZeros, hidden, 2));
            sparse.add(new SparseTerm(Matrix.PROPAGATION, propagationNonZeros, classes, 2));
        }
        if (readsLabels) {
            sparse.add(new SparseTerm(Matrix.PROPAGATION, propagationNonZeros - nodes, classes, 2));
            sparse.add(new SparseTerm(Matrix.PROPAGATION, propagationNonZeros - nodes, 1, 2));
        }
        return new Work(dense, sparse);
    }

    /**
     * The best time of {@code work} over its repetitions (see {@link #REPETITIONS}), after one not timed; its result
     * is closed each time (a product's result is freed at once).
     */
    private static double bestSeconds(Supplier<NDArray> work) {
        work.get().close();
        double best = Double.MAX_VALUE;
        long deadline = System.nanoTime() + BUDGET_NANOS;
        for (int i = 0; i < REPETITIONS && (i < MIN_REPETITIONS || System.nanoTime() < deadline); i++) {
            long start = System.nanoTime();
            NDArray result = work.get();
            Engines.awaitDevice(result);
            double seconds = (System.nanoTime() - start) / 1e9;
            result.close();
            best = Math.min(best, seconds);
        }
        return best;
    }
}

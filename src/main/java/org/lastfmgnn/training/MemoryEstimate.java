package org.lastfmgnn.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lastfmgnn.model.LabelHops;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;

/**
 * What a training run will need, from the graph's counts and the configuration: JVM heap for the snapshot and
 * the per-epoch inputs, native (PyTorch) memory for the graph's tensors, parameters with their gradients and
 * Adam state, activations, and the engine's first use in a process. {@code bytesMax} allows half as much again for
 * temporaries. A deliberately simple model: it is there to refuse runs that cannot fit, not to budget to the byte.
 */
public record MemoryEstimate(long heapBytes, long nativeBytes, long bytesMin, long bytesMax) {
    private static final long FLOAT = 4;
    /**
     * What a process's first training costs beyond its tensors: libtorch's and MKL's code pages and workspaces and
     * the allocator's arenas, touched once. Measured on the LastFM graph as the first default GCN training's resident
     * growth minus the same training's repeated in that process (143 - 36 MB), and 61 MB for a first training on a
     * 200-user graph; counted until a backward pass has run ({@link Engines#computed()}).
     */
    static final long ENGINE_FIRST_USE = 110L << 20;
    /**
     * GraphTensors per message edge: three COO operators (an int64 index pair and a float32 value each), the incidence
     * matrix (the same), the per-edge weights (3 float32), the sources and targets (int64), and the CSR form of the
     * no-gradient products (the incidence matrix's columns and values; the operators share the sources and weights).
     */
    static final long GRAPH_BYTES_PER_EDGE = 122;

    public static MemoryEstimate of(long users, long friendships, long artists, long likes, int classCount,
                                    TrainConfig config) {
        long edges = 2 * friendships + users;
        boolean artistTask = config.task().equals(TrainConfig.ARTISTS);
        List<HyperParameters> points = new ArrayList<>();
        boolean gat;
        if (artistTask) {
            points.add(config.artistHp());
            gat = config.architecture() == Architecture.GAT;
        } else {
            config.plans().forEach(p -> points.addAll(p.grid()));
            gat = config.plans().stream().anyMatch(p -> p.family().body() == Architecture.GAT);
        }
        if (points.isEmpty()) { // label propagation: no parameters, the propagated scores only
            points.add(new HyperParameters(0, 0, new int[] {classCount}, 0, 1, 0, 0, 0));
        }
        HyperParameters hp = points.stream().max(java.util.Comparator.comparingLong(MemoryEstimate::width)).orElseThrow();
        boolean sparse = artistTask || config.inputs().contains("artists");
        long dense = artistTask ? 3 : LabelHops.width(classCount) + 2L;
        long classes = artistTask ? hp.hiddenSize()[hp.hiddenSize().length - 1] : classCount;
        long heads = gat ? hp.heads() : 1;

        int[] hidden = hp.hiddenSize();
        // A training step holds its users' activations and gradients: every user in full batch; in mini-batches the
        // users of one batch's sampled subgraph (at most the seeds times the fanouts' products, hop by hop), while
        // validation runs on the whole graph without gradients.
        Sampling sampling = artistTask ? Sampling.FULL_BATCH : config.sampling();
        long stepUsers = sampling.fullBatch() ? users
                : subgraphSize(sampling, hidden.length + 1, users, (double) 2 * friendships / Math.max(1, users));
        long stepEdges = stepUsers == users ? edges : Math.min(edges, stepUsers * (maxFanout(sampling) + 1L));
        long stepLikes = stepUsers == users ? likes : likes / Math.max(1, users) * stepUsers;
        long graphTensors = GRAPH_BYTES_PER_EDGE * edges + (sparse ? 20 * likes : 0)
                + (stepUsers == users ? 0 : GRAPH_BYTES_PER_EDGE * stepEdges + (sparse ? 20 * stepLikes : 0));
        long parameters = 0;
        long activations = 0;
        long inference = 0;
        long in = dense;
        for (int i = 0; i <= hidden.length; i++) {
            long out = (i == hidden.length ? classes : hidden[i]) * (i == hidden.length ? 1 : heads);
            parameters += (in + 1) * out + (i == 0 && sparse ? artists * out : 0);
            activations += 6 * stepUsers * out;
            inference += 2 * users * out;
            if (gat) {
                activations += 8 * stepEdges * out; // gathered messages, attention-weighted, and their gradients
                inference += 2 * edges * out;
            }
            in = out;
        }
        activations = Math.max(activations, inference);
        if (artistTask) {
            parameters += artists * (classes + 2);
            activations += 6L * config.batchSize() * artists; // logits, labels, the head's priors and gradients
        }
        // refinements and label signals: a few [N x classes] propagations alive at once
        activations += 8 * users * classes;
        // Building the sparse likes (GraphTensors.likesMatrix): one chunk of Java indices at a time (16 bytes a
        // like, at most a chunk), and natively the values gathered once more before the sparse tensor takes them.
        long buildHeap = sparse ? 16L * Math.min(likes, GraphTensors.LIKES_CHUNK) : 0;
        long buildNative = sparse ? FLOAT * likes : 0;
        // The backward of likes x W for W's gradient is likes^T x G: PyTorch transposes the sparse matrix into a new
        // one (its own int64 index pair and float value per like, 20 bytes) at every step. A 100x run that left it
        // out was let start and was killed at 24 GB.
        long backwardNative = sparse ? 20L * stepLikes : 0;
        long nativeBytes = FLOAT * (graphTensors / FLOAT + 4 * parameters + activations + 3 * users * dense) + buildNative
                + backwardNative + (Engines.computed() ? 0 : ENGINE_FIRST_USE);
        long heapBytes = FLOAT * (users + 2 * friendships + likes) + 8 * users + FLOAT * 3 * users * dense
                + (artistTask ? FLOAT * 2L * 512 * artists + headRows(users, artists) : FLOAT * users * classes * 4) + buildHeap
                + (stepUsers == users ? 0 : 12L * users + FLOAT * (2 * stepEdges + stepLikes)); // a batch's subgraph
        long min = heapBytes + nativeBytes;
        return new MemoryEstimate(heapBytes, nativeBytes, min, min + min / 2);
    }

    /** The artist head's training rows (features and label per candidate of each held-out fitting user), in bytes. */
    private static long headRows(long users, long artists) {
        long heldUsers = Math.min(ArtistHeadFit.MAX_USERS, Math.max(1, users / 4));
        return FLOAT * heldUsers * Math.min(ArtistHeadFit.CANDIDATES, artists)
                * (org.lastfmgnn.recommend.ArtistPairFeatures.WIDTH + 1);
    }

    /**
     * Users of one batch's subgraph: the seeds and, hop by hop, each frontier times the friendships a user keeps
     * (its fanout, or the average degree when that is smaller), at most every user. Overlaps between the users'
     * samples make the real subgraph smaller.
     */
    static long subgraphSize(Sampling sampling, int hops, long users, double averageDegree) {
        double frontier = Math.min(users, sampling.batchSize());
        double total = frontier;
        for (int fanout : sampling.fanouts(hops)) {
            double kept = fanout == org.lastfmgnn.graph.ComputationSubgraph.ALL ? averageDegree : Math.min(fanout, averageDegree);
            frontier = Math.min(users, frontier * kept);
            total = Math.min(users, total + frontier);
        }
        return (long) Math.ceil(total);
    }

    private static int maxFanout(Sampling sampling) {
        int max = 1;
        for (int f : sampling.fanouts()) {
            max = Math.max(max, f);
        }
        return max;
    }

    private static long width(HyperParameters hp) {
        long w = hp.heads();
        for (int h : hp.hiddenSize()) {
            w *= Math.max(1, h);
        }
        return w;
    }

    /** Throws, with the numbers, when the estimate exceeds the heap or the machine memory that is free now. */
    public void requireFits() {
        Runtime runtime = Runtime.getRuntime();
        long heapFree = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (heapBytes > heapFree) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "This training needs about %,d MB of JVM heap and %,d MB are free: raise the heap "
                            + "(server.memory.heap.max_size) or use a smaller graph (userQuery) or model", heapBytes >> 20, heapFree >> 20));
        }
        long nativeFree = availableMemory();
        if (nativeFree > 0 && nativeBytes > nativeFree) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "This training needs about %,d MB of native memory and %,d MB are available: use a smaller model "
                            + "(hiddenSize, heads) or graph (userQuery)", nativeBytes >> 20, nativeFree >> 20));
        }
    }

    /** MemAvailable from /proc/meminfo, or -1 where there is none. */
    static long availableMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

}

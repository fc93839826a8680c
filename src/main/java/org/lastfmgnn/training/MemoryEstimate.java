package org.lastfmgnn.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lastfmgnn.graph.DegreeHistogram;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.LabelHops;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.LinkPredictor;
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

    /**
     * The estimate for an exported graph: with its degree histogram where the run samples mini-batches (the only
     * place the degrees matter), from its counts otherwise.
     */
    public static MemoryEstimate of(GraphSnapshot graph, TrainConfig config) {
        DegreeHistogram degrees = samples(config) ? DegreeHistogram.of(graph)
                : DegreeHistogram.regular(graph.userCount(), graph.friendshipCount());
        return of(degrees, graph.artistCount(), graph.likes().length, graph.classCount(), config);
    }

    /** Whether the run trains on sampled mini-batches, whose size depends on the degrees (artist runs never do). */
    public static boolean samples(TrainConfig config) {
        return !config.task().equals(TrainConfig.ARTISTS) && !config.sampling().fullBatch();
    }

    /** The estimate from the counts alone: every user is taken to have the average degree. */
    public static MemoryEstimate of(long users, long friendships, long artists, long likes, int classCount,
                                    TrainConfig config) {
        return of(DegreeHistogram.regular(users, friendships), artists, likes, classCount, config);
    }

    /**
     * The estimate for a graph with these degrees; mini-batch training needs them to size a batch's sampled
     * subgraph ({@link #sampledSubgraph}), full batch only their sum.
     */
    public static MemoryEstimate of(DegreeHistogram degrees, long artists, long likes, int classCount,
                                    TrainConfig config) {
        long users = degrees.userCount();
        long friendships = degrees.directedFriendships() / 2;
        long edges = 2 * friendships + users;
        boolean artistTask = config.task().equals(TrainConfig.ARTISTS);
        boolean friendTask = config.task().equals(TrainConfig.FRIENDS);
        List<HyperParameters> points = new ArrayList<>();
        boolean gat;
        if (artistTask) {
            points.add(config.artistHp());
            gat = config.architecture() == Architecture.GAT;
        } else if (friendTask) { // the link predictor's encoder: one hidden layer, then the embedding
            points.add(new HyperParameters(0, 0, new int[] {LinkPredictor.HIDDEN}, 0, 1, 0, 0, 0));
            gat = false;
        } else {
            config.plans().forEach(p -> points.addAll(p.grid()));
            gat = config.plans().stream().anyMatch(p -> p.family().body() == Architecture.GAT);
        }
        if (points.isEmpty()) { // label propagation: no parameters, the propagated scores only
            points.add(new HyperParameters(0, 0, new int[] {classCount}, 0, 1, 0, 0, 0));
        }
        HyperParameters hp = points.stream().max(java.util.Comparator.comparingLong(MemoryEstimate::width)).orElseThrow();
        boolean sparse = artistTask || config.inputs().contains("artists");
        long dense = artistTask ? 3 : friendTask ? classCount + 3L : LabelHops.width(classCount) + 2L;
        long classes = artistTask ? hp.hiddenSize()[hp.hiddenSize().length - 1]
                : friendTask ? LinkPredictor.EMBEDDING : classCount;
        long heads = gat ? hp.heads() : 1;

        int[] hidden = hp.hiddenSize();
        // A training step holds its users' activations and gradients: every user in full batch; in mini-batches the
        // users of one batch's sampled subgraph, built beside the whole graph's tensors (which validation uses without
        // gradients) even where the sample reaches every user.
        boolean sampled = samples(config);
        SubgraphSize batch = sampled ? sampledSubgraph(config.sampling(), hidden.length + 1, degrees) : null;
        long stepUsers = sampled ? (long) Math.ceil(batch.users()) : users;
        long stepEdges = sampled ? Math.min(edges, (long) Math.ceil(batch.messageEdges()) + stepUsers) : edges;
        long stepLikes = sampled ? Math.round((double) likes * stepUsers / Math.max(1, users)) : likes;
        // a GAT's graph also holds its messages by sender (EdgeAttention: each one's receiver and order, int64)
        long graphTensors = (GRAPH_BYTES_PER_EDGE + (gat ? 16 : 0)) * edges + (sparse ? 20 * likes : 0);
        long parameters = 0;
        long activations = 0;
        long inference = 0;
        long in = dense;
        for (int i = 0; i <= hidden.length; i++) {
            long out = (i == hidden.length ? classes : hidden[i]) * (i == hidden.length ? 1 : heads);
            parameters += (in + 1) * out + (i == 0 && sparse ? artists * out : 0);
            // six [N x out] arrays a layer, and two more that the taped backward keeps to the step's end (it keeps
            // the graph for the tape's products, Gradients): measured +27-41 MB of growth at 10x (out 64 and 18)
            activations += 8 * stepUsers * out;
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
        // Two phases that do not overlap, beside the whole graph's tensors: building those (the likes' transient
        // copies: GraphTensors.likesMatrix fills the indices through one direct buffer of a chunk, 16 bytes a like,
        // and gathers the values once more before the sparse tensor takes them), then the training steps. A step's
        // backward of likes x W for W's gradient is likes^T x G, taken from the likes' transpose in CSR form
        // (SparseProduct, Gradients' tape): built on the first step natively, each like's row, its sort key and
        // order (24 bytes, transient) beside the transpose itself (an int64 column and a float value, 12 bytes,
        // kept); a 100x run that left the backward's copy out was let start and was killed at 24 GB. In mini-batches
        // a step also builds its batch's subgraph tensors, with the same transient copies, and frees them at its end.
        long buildNative = sparse ? FLOAT * likes + 16L * Math.min(likes, GraphTensors.LIKES_CHUNK) : 0;
        long stepNative = (sparse ? 36L * stepLikes : 0) + (sampled ? (GRAPH_BYTES_PER_EDGE + (gat ? 16 : 0)) * stepEdges
                + (sparse ? (20 + FLOAT) * stepLikes + 16L * Math.min(stepLikes, GraphTensors.LIKES_CHUNK) : 0) : 0);
        // What the allocator keeps: glibc's malloc holds on to what a step frees (blocks below its mmap threshold,
        // which rises to 32 MB after the first large free) for the next, whose subgraph has other sizes and does not
        // always fit the holes. Measured at 1x: the resident size grows by about one step's transient memory more
        // than the tensors alive at any time (and by 80 MB less with a fixed 128 KB threshold), so one more is counted.
        long allocatorKept = sampled ? stepNative : 0;
        // Region rounds (and the final model) and artist folds train side by side on up to `concurrency` threads,
        // beside one copy of the graph's tensors: each holds its own parameters, activations, inputs and step.
        long atOnce = config.trainingsAtOnce();
        long nativeBytes = FLOAT * (graphTensors / FLOAT + atOnce * (4 * parameters + activations + 3 * users * dense))
                + Math.max(buildNative, atOnce * stepNative) + atOnce * allocatorKept
                + (Engines.computed() ? 0 : ENGINE_FIRST_USE);
        long heapBytes = FLOAT * (users + 2 * friendships + likes) + 8 * users + atOnce * FLOAT * 3 * users * dense
                + atOnce * (artistTask ? FLOAT * 2L * 512 * artists + headRows(users, artists) : FLOAT * users * classes * 4)
                + (artistTask ? FLOAT * likes : 0) // the folds' held-out likes (sorted copies), kept to their gathering
                + atOnce * (sampled ? 12L * users + FLOAT * (2 * stepEdges + stepLikes) : 0); // a batch's subgraph
        return ofParts(heapBytes, nativeBytes);
    }

    /** An estimate of these parts: its least the two together, its most half as much again (see the class). */
    private static MemoryEstimate ofParts(long heapBytes, long nativeBytes) {
        long min = heapBytes + nativeBytes;
        return new MemoryEstimate(heapBytes, nativeBytes, min, min + min / 2);
    }

    /** The artist head's training rows (features and label per candidate of each held-out fitting user), in bytes. */
    private static long headRows(long users, long artists) {
        long heldUsers = Math.min(ArtistHeadFit.MAX_USERS, Math.max(1, users / 4));
        return FLOAT * heldUsers * Math.min(ArtistHeadFit.CANDIDATES, artists)
                * (org.lastfmgnn.recommend.ArtistPairFeatures.WIDTH + 1);
    }

    /** One batch's sampled subgraph, expected: its users, and the friendships delivering messages (no self loops). */
    record SubgraphSize(double users, double messageEdges) {
    }

    /**
     * The expected size of {@link org.lastfmgnn.graph.ComputationSubgraph#sampled} for one batch of random seeds,
     * hop by hop: the users h hops out keep {@code min(fanout, degree)} friendships each (size-biased beyond the
     * seeds: they were reached along a friendship, and one of theirs leads back), and those draws hit new users as
     * independent degree-proportional draws do, less the share already reached. Friends of friends being friends
     * makes real samples repeat more, so this tends high: on the LastFM graph and its 10x and 100x copies
     * (512 seeds, fanouts [10, 10]) 7%, 14% and 18% above the mean of 20 drawn subgraphs.
     */
    static SubgraphSize sampledSubgraph(Sampling sampling, int hops, DegreeHistogram degrees) {
        double n = Math.max(1, degrees.userCount());
        double frontier = Math.min(n, sampling.batchSize());
        double reached = frontier;
        double messages = 0;
        int[] fanouts = sampling.fanouts(hops);
        for (int h = 0; h < hops; h++) {
            boolean seeds = h == 0;
            double kept = degrees.meanKept(fanouts[h], !seeds);
            messages += frontier * kept;
            double draws = frontier * (seeds ? kept : degrees.meanKeptOnward(fanouts[h]));
            double fresh = Math.max(0, (1 - reached / n) * degrees.distinctHit(draws));
            reached = Math.min(n, reached + fresh);
            frontier = fresh;
        }
        return new SubgraphSize(reached, messages);
    }

    private static long width(HyperParameters hp) {
        long w = hp.heads();
        for (int h : hp.hiddenSize()) {
            w *= Math.max(1, h);
        }
        return w;
    }

    /** Its JVM heap alone: what a run whose tensors live on another device than the CPU takes of this machine. */
    public MemoryEstimate heapOnly() {
        return ofParts(heapBytes, 0);
    }

    /** Throws, with the numbers, when the estimate exceeds the heap or the machine memory that is free now. */
    public void requireFits() {
        requireFits(0, 0);
    }

    /**
     * The same, beside other runs that hold {@code heapHeld} and {@code nativeHeld} bytes of their own estimates (what
     * they have not allocated yet may still be taken).
     */
    public void requireFits(long heapHeld, long nativeHeld) {
        Runtime runtime = Runtime.getRuntime();
        long heapFree = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory()) - heapHeld;
        String others = heapHeld + nativeHeld > 0 ? " beside the trainings running now" : "";
        if (heapBytes > heapFree) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "This training needs about %,d MB of JVM heap and %,d MB are free%s: raise the heap "
                            + "(server.memory.heap.max_size) or use a smaller graph (userQuery) or model", heapBytes >> 20,
                    Math.max(0, heapFree) >> 20, others));
        }
        long nativeFree = availableMemory();
        if (nativeFree > 0 && nativeBytes > 0 && nativeBytes > nativeFree - nativeHeld) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "This training needs about %,d MB of native memory and %,d MB are available%s: use a smaller model "
                            + "(hiddenSize, heads) or graph (userQuery)", nativeBytes >> 20,
                    Math.max(0, nativeFree - nativeHeld) >> 20, others));
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

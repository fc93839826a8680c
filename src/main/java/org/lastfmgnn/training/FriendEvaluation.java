package org.lastfmgnn.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.lastfmgnn.graph.FriendshipIndex;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.Gradients;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.LinkPredictor;
import org.lastfmgnn.model.Losses;
import org.lastfmgnn.model.Parameter;
import org.lastfmgnn.model.Tensors;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.recommend.FriendScorer;
import org.lastfmgnn.recommend.PairFeatures;

/**
 * How well friend recommendation finds friendships it has not seen. A share of the friendships is hidden; every
 * method sees only the rest (the hidden ones are in no input: not in the message passing, not in the pair
 * features, not in the degrees), and no likes (the synthetic likes were generated with the hidden friendships
 * inside each user's taste: a likes-derived signal would know them). Each hidden friendship u-v is ranked against
 * negatives for u of three kinds: {@code twoHop}, users two hops away who are not friends (what a "people you may
 * know" list chooses from); {@code twoHopCandidates}, the same negatives, but only for the hidden friendships that
 * are two-hop candidates themselves (u and v share a friend): there a method cannot win by learning that a
 * friend is rarely two hops away, which on {@code twoHop} rewards the negative sampling more than the method; and
 * {@code random}, random non-friends. Methods: common neighbours, Adamic-Adar, resource allocation, and a
 * learned link predictor ({@link LinkPredictor}) trained with negative sampling on the remaining friendships.
 * Metrics per method: AUC (ties count half), Hits@10 and MRR against the same negatives (ties count against the
 * hidden friendship).
 */
public final class FriendEvaluation {
    /** One method against one kind of negatives. */
    /** {@code count}: the hidden friendships ranked. */
    public record Scores(double auc, double hitsAt10, double mrr, int count) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("auc", auc);
            m.put("hitsAt10", hitsAt10);
            m.put("mrr", mrr);
            m.put("friendships", count);
            return m;
        }
    }

    /**
     * negatives ("twoHop", "twoHopCandidates", "random", "allUsers") -> method -> scores; {@code candidates}: the
     * hidden friendships that are two-hop candidates; {@code allUsersNegatives}: non-friends per friendship ranked in
     * "allUsers"; {@code learned}: the link predictor evaluated (trained without the hidden friendships).
     */
    public record Result(Map<String, Map<String, Scores>> scores, int hiddenFriendships, int candidates,
                         double twoHopNegatives, double allUsersNegatives, LinkModel learned) {
        /** The epoch the learned predictor's validation chose. */
        public int learnedEpochs() {
            return learned.epochs();
        }
    }

    public static final List<String> METHODS = List.of("learned", "adamicAdar", "resourceAllocation", "commonNeighbours");
    static final int NEGATIVES = 100;
    /**
     * Hidden friendships (the first, in the evaluation's random order) also ranked against every non-friend: the
     * list {@code lastfm.recommend.friends} draws from, 7,600 candidates each on LastFM.
     */
    static final int ALL_USERS_SAMPLE = 500;
    private static final double SUPERVISION = 0.15;

    private FriendEvaluation() {
    }

    /**
     * A method from outside this package (the bench's GDS link prediction pipeline), held to the same hidden
     * friendships and negatives. It sees only {@code visible}, the graph without the hidden friendships.
     */
    public interface Peer {
        String name();

        /**
         * Scores of the pairs us[i]-vs[i], higher is likelier a friendship; all pairs of one evaluation at once.
         * NaN for a pair the peer does not score (a peer too slow for every pair scores a sample): the hidden
         * friendships whose ranking has such a pair are left out for every method, so that all are compared on
         * the same friendships.
         */
        double[] score(GraphSnapshot visible, int[] us, int[] vs);
    }

    /** The evaluation, the link predictor trained on {@code device}. */
    public static Result run(GraphSnapshot full, double holdout, long seed, Device device, ProgressTracker progress) {
        return run(full, holdout, seed, device, List.of(), progress);
    }

    /** The evaluation with {@code peers} scored beside {@link #METHODS} on the same pairs. */
    public static Result run(GraphSnapshot full, double holdout, long seed, Device device, List<Peer> peers,
                             ProgressTracker progress) {
        Random random = new Random(seed);
        int[][] hidden = sampleFriendships(full, holdout, random);
        GraphSnapshot reduced = Snapshots.withoutFriendships(full, hidden[0], hidden[1]);
        FriendshipIndex fullEdges = new FriendshipIndex(full);
        progress.stage("learning the link predictor on " + reduced.friendshipCount() + " friendships");
        LinkModel learned = train(reduced, seed, device, progress);
        int pairs = hidden[0].length;
        // every hidden friendship's negatives first (drawn in the same order as they are scored), so that a peer
        // can score all of them in one call
        List<Map<String, int[]>> negativesOf = new ArrayList<>(pairs);
        IntList peerUs = new IntList();
        IntList peerVs = new IntList();
        long twoHop = 0;
        for (int i = 0; i < pairs; i++) {
            int u = hidden[0][i];
            Map<String, int[]> negatives = new LinkedHashMap<>();
            int[] near = twoHopNegatives(reduced, fullEdges, u, random);
            negatives.put("twoHop", near);
            if (PairFeatures.common(reduced, u, hidden[1][i])[0] > 0) {
                negatives.put("twoHopCandidates", near);
            }
            negatives.put("random", randomNegatives(full.userCount(), fullEdges, u, random));
            twoHop += near.length;
            negativesOf.add(negatives);
            for (int[] w : negatives.values()) {
                if (w.length > 0) {
                    peerUs.add(u);
                    peerVs.add(hidden[1][i]);
                    for (int x : w) {
                        peerUs.add(u);
                        peerVs.add(x);
                    }
                }
            }
        }
        Map<String, double[]> peerScores = new LinkedHashMap<>();
        for (Peer peer : peers) {
            progress.stage("scoring " + peerUs.size() + " pairs with " + peer.name());
            double[] s = peer.score(reduced, peerUs.toArray(), peerVs.toArray());
            if (s.length != peerUs.size()) {
                throw new IllegalStateException(peer.name() + " returned " + s.length + " scores for " + peerUs.size() + " pairs");
            }
            peerScores.put(peer.name(), s);
        }
        Map<String, Map<String, double[]>> sums = new LinkedHashMap<>();
        int peerOffset = 0;
        double allUsersPerFriendship;
        try (LinkModel.Scorer model = learned.scorer(reduced)) {
            for (int i = 0; i < pairs; i++) {
                progress.checkCancelled();
                int u = hidden[0][i];
                int v = hidden[1][i];
                for (var kind : negativesOf.get(i).entrySet()) {
                    int[] w = kind.getValue();
                    if (w.length == 0) {
                        continue;
                    }
                    int[] us = new int[w.length + 1];
                    int[] vs = new int[w.length + 1];
                    java.util.Arrays.fill(us, u);
                    vs[0] = v;
                    System.arraycopy(w, 0, vs, 1, w.length);
                    Map<String, double[]> peerSlices = new LinkedHashMap<>();
                    boolean complete = true;
                    for (var peer : peerScores.entrySet()) {
                        double[] slice = java.util.Arrays.copyOfRange(peer.getValue(), peerOffset, peerOffset + us.length);
                        complete &= java.util.Arrays.stream(slice).noneMatch(Double::isNaN);
                        peerSlices.put(peer.getKey(), slice);
                    }
                    peerOffset += us.length;
                    if (!complete) {
                        continue;
                    }
                    Map<String, double[]> scores = score(model, reduced, us, vs);
                    scores.putAll(peerSlices);
                    accumulate(sums.computeIfAbsent(kind.getKey(), k -> new LinkedHashMap<>()), scores);
                }
            }
            // the list lastfm.recommend.friends ranks: every user who is not a friend (no peer: too many pairs)
            int sampled = Math.min(ALL_USERS_SAMPLE, pairs);
            long allUsersNegatives = 0;
            progress.stage("ranking " + sampled + " hidden friendships among all users");
            for (int i = 0; i < sampled; i++) {
                progress.checkCancelled();
                int u = hidden[0][i];
                IntList others = new IntList();
                others.add(hidden[1][i]);
                for (int w = 0; w < full.userCount(); w++) {
                    if (w != u && w != hidden[1][i] && !fullEdges.contains(u, w)) {
                        others.add(w);
                    }
                }
                int[] vs = others.toArray();
                allUsersNegatives += vs.length - 1;
                int[] us = new int[vs.length];
                java.util.Arrays.fill(us, u);
                Map<String, double[]> scores = score(model, reduced, us, vs);
                double[] learnedLogits = scores.get("learned");
                double[] common = scores.get("commonNeighbours");
                double[] served = new double[vs.length];
                double[] rule = new double[vs.length];
                for (int j = 0; j < vs.length; j++) {
                    served[j] = LinkModel.servedOrder(learnedLogits[j], common[j]);
                    // the hand-set score without taste embeddings (there are no likes here), from the counted commons
                    int r = reduced.regions()[u];
                    rule[j] = FriendScorer.score(0, r >= 0 && r == reduced.regions()[vs[j]], common[j]);
                }
                Map<String, double[]> all = new LinkedHashMap<>();
                all.put("learned", learnedLogits);
                all.put("learnedTwoHopFirst", served);
                all.put("handSet", rule);
                scores.forEach((method, s) -> all.putIfAbsent(method, s));
                accumulate(sums.computeIfAbsent("allUsers", k -> new LinkedHashMap<>()), all);
            }
            allUsersPerFriendship = sampled == 0 ? 0 : allUsersNegatives / (double) sampled;
        }
        Map<String, Map<String, Scores>> out = new LinkedHashMap<>();
        sums.forEach((kind, methods) -> {
            Map<String, Scores> m = new LinkedHashMap<>();
            methods.forEach((method, a) -> m.put(method, new Scores(a[0] / a[3], a[1] / a[3], a[2] / a[3], (int) a[3])));
            out.put(kind, m);
        });
        int candidates = (int) sums.getOrDefault("twoHopCandidates", Map.of()).values().stream().findFirst()
                .map(a -> a[3]).orElse(0.0).doubleValue();
        return new Result(out, pairs, candidates, twoHop / (double) pairs, allUsersPerFriendship, learned);
    }

    /**
     * Adds each method's ranking of one hidden friendship to {@code sums} (method -> [AUC, hits at 10, reciprocal
     * rank, count]): {@code s[0]} is the hidden friend's score, the rest its negatives'.
     */
    private static void accumulate(Map<String, double[]> sums, Map<String, double[]> scores) {
        for (var method : scores.entrySet()) {
            double[] s = method.getValue();
            double[] acc = sums.computeIfAbsent(method.getKey(), k -> new double[4]);
            int above = 0;
            double auc = 0;
            for (int j = 1; j < s.length; j++) {
                above += s[j] >= s[0] ? 1 : 0;
                auc += s[0] > s[j] ? 1 : s[0] == s[j] ? 0.5 : 0;
            }
            acc[0] += auc / (s.length - 1);
            acc[1] += above < 10 ? 1 : 0;
            acc[2] += 1.0 / (above + 1);
            acc[3]++;
        }
    }

    /** Every method's score of the pairs us[i]-vs[i], all from the reduced graph. */
    private static Map<String, double[]> score(LinkModel.Scorer model, GraphSnapshot g, int[] us, int[] vs) {
        Map<String, double[]> out = new LinkedHashMap<>();
        double[] cn = new double[us.length];
        double[] aa = new double[us.length];
        double[] ra = new double[us.length];
        for (int i = 0; i < us.length; i++) {
            double[] c = PairFeatures.common(g, us[i], vs[i]);
            cn[i] = c[0];
            aa[i] = c[1];
            ra[i] = c[2];
        }
        out.put("learned", model.logits(us, vs));
        out.put("adamicAdar", aa);
        out.put("resourceAllocation", ra);
        out.put("commonNeighbours", cn);
        return out;
    }

    /**
     * Trains the link predictor on {@code g}: a share of its friendships are the positives and leave the message
     * graph (as the hidden ones are not in it), each with one two-hop and one random non-friend as negatives;
     * a tenth of those positives is the validation that picks the epoch (AUC against their two-hop negatives).
     */
    static LinkModel train(GraphSnapshot g, long seed, Device device, ProgressTracker progress) {
        Random random = new Random(seed + 1);
        int[][] supervision = sampleFriendships(g, SUPERVISION, random);
        GraphSnapshot message = Snapshots.withoutFriendships(g, supervision[0], supervision[1]);
        FriendshipIndex known = new FriendshipIndex(g);
        int n = supervision[0].length;
        int validationCount = Math.max(1, n / 10);
        int classes = g.classCount();
        int[] vu = java.util.Arrays.copyOfRange(supervision[0], 0, validationCount);
        int[] vv = java.util.Arrays.copyOfRange(supervision[1], 0, validationCount);
        int[] tu = java.util.Arrays.copyOfRange(supervision[0], validationCount, n);
        int[] tv = java.util.Arrays.copyOfRange(supervision[1], validationCount, n);
        // fixed validation negatives: one two-hop non-friend per positive
        int[] vw = new int[validationCount];
        for (int i = 0; i < validationCount; i++) {
            int[] w = twoHopNegatives(message, known, vu[i], random);
            vw[i] = w.length > 0 ? w[0] : randomNegatives(g.userCount(), known, vu[i], random)[0];
        }
        // each training user's two-hop candidates are the same every epoch: found once, shuffled anew each epoch
        int[][] candidatesOf = new int[g.userCount()][];
        long start = System.nanoTime();
        try (NDManager manager = Engines.newManager(device);
             GraphTensors tensors = new GraphTensors(manager, message, false);
             LinkPredictor model = LinkPredictor.standard(manager, classes, seed)) {
            NDArray x = Tensors.of(manager, LinkPredictor.nodeInputs(message, classes), LinkPredictor.nodeInputShape(g.userCount(), classes));
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).optWeightDecays(5e-4f).build();
            float[][] best = model.snapshot();
            double bestAuc = -1;
            int bestEpoch = 0;
            int epochsRun = 0;
            for (int epoch = 1; epoch <= 200 && epoch - bestEpoch < 30; epoch++) {
                progress.checkCancelled();
                epochsRun = epoch;
                int m = tu.length;
                int[] us = new int[3 * m];
                int[] vs = new int[3 * m];
                float[] y = new float[3 * m];
                for (int i = 0; i < m; i++) {
                    us[3 * i] = tu[i];
                    vs[3 * i] = tv[i];
                    y[3 * i] = 1;
                    if (candidatesOf[tu[i]] == null) {
                        candidatesOf[tu[i]] = twoHopCandidates(message, known, tu[i]);
                    }
                    int[] w = twoHopNegatives(candidatesOf[tu[i]], random);
                    us[3 * i + 1] = tu[i];
                    vs[3 * i + 1] = w.length > 0 ? w[random.nextInt(w.length)] : randomNegatives(g.userCount(), known, tu[i], random)[0];
                    us[3 * i + 2] = tu[i];
                    vs[3 * i + 2] = randomNegatives(g.userCount(), known, tu[i], random)[0];
                }
                try (NDScope scope = new NDScope(); GradientCollector collector = Gradients.collector()) {
                    scope.suppressNotUsedWarning();
                    Parameter.zeroGradients(model.parameters());
                    NDArray logits = model.logits(tensors, model.embed(tensors, x, true), tensors.indices(us),
                            tensors.indices(vs), LinkModel.pairFeatures(manager, message, us, vs), true);
                    NDArray target = Tensors.of(manager, y);
                    // binary cross-entropy on logits: max(z, 0) - z y + log(1 + exp(-|z|))
                    NDArray loss = Losses.binaryCrossEntropy(logits, target);
                    collector.backward(loss);
                }
                for (Parameter p : model.parameters()) {
                    try (NDArray gradient = p.array().getGradient()) {
                        adam.update(p.name(), p.array(), gradient);
                    }
                }
                int[] both = new int[2 * validationCount];
                int[] other = new int[2 * validationCount];
                for (int i = 0; i < validationCount; i++) {
                    both[2 * i] = vu[i];
                    other[2 * i] = vv[i];
                    both[2 * i + 1] = vu[i];
                    other[2 * i + 1] = vw[i];
                }
                double[] s;
                try (LinkModel.Scorer validation = LinkModel.Scorer.borrowing(model, tensors, message, classes)) {
                    s = validation.logits(both, other);
                }
                double auc = 0;
                for (int i = 0; i < validationCount; i++) {
                    auc += s[2 * i] > s[2 * i + 1] ? 1 : s[2 * i] == s[2 * i + 1] ? 0.5 : 0;
                }
                auc /= validationCount;
                if (auc > bestAuc) {
                    bestAuc = auc;
                    bestEpoch = epoch;
                    best = model.snapshot();
                }
            }
            return new LinkModel(best, classes, bestEpoch, seed, bestAuc, (System.nanoTime() - start) / 1e6 / Math.max(1, epochsRun));
        }
    }

    /** A seeded share of the friendships, each once: [endpoints a][endpoints b]. */
    static int[][] sampleFriendships(GraphSnapshot g, double share, Random random) {
        IntList a = new IntList();
        IntList b = new IntList();
        for (int u = 0; u < g.userCount(); u++) {
            for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
                if (u < g.friends()[e]) {
                    a.add(u);
                    b.add(g.friends()[e]);
                }
            }
        }
        int[] order = new int[a.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Folds.shuffle(order, random);
        int count = (int) Math.round(order.length * share);
        int[] hu = new int[count];
        int[] hv = new int[count];
        int[] all = a.toArray();
        int[] bll = b.toArray();
        for (int i = 0; i < count; i++) {
            hu[i] = all[order[i]];
            hv[i] = bll[order[i]];
        }
        return new int[][] {hu, hv};
    }

    /** Up to {@value #NEGATIVES} users two hops from u in {@code g} who are no friends of u in {@code known}. */
    static int[] twoHopNegatives(GraphSnapshot g, FriendshipIndex known, int u, Random random) {
        return twoHopNegatives(twoHopCandidates(g, known, u), random);
    }

    /** u's non-friends two hops away, each once, in the order the friends lead to them. */
    static int[] twoHopCandidates(GraphSnapshot g, FriendshipIndex known, int u) {
        Set<Integer> seen = new HashSet<>();
        List<Integer> candidates = new ArrayList<>();
        for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
            int v = g.friends()[e];
            for (int f = g.friendOffsets()[v]; f < g.friendOffsets()[v + 1]; f++) {
                int w = g.friends()[f];
                if (w != u && !known.contains(u, w) && seen.add(w)) {
                    candidates.add(w);
                }
            }
        }
        return candidates.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * At most {@value #NEGATIVES} of the candidates in random order: a copy shuffled as
     * {@code Collections.shuffle(list, random)} shuffles a list (the same draws, the same order), so that training can
     * compute each user's candidates once and still sample what it always sampled.
     */
    static int[] twoHopNegatives(int[] candidates, Random random) {
        int[] c = candidates.clone();
        for (int i = c.length; i > 1; i--) {
            int j = random.nextInt(i);
            int t = c[i - 1];
            c[i - 1] = c[j];
            c[j] = t;
        }
        return java.util.Arrays.copyOf(c, Math.min(NEGATIVES, c.length));
    }

    static int[] randomNegatives(int n, FriendshipIndex known, int u, Random random) {
        int[] out = new int[NEGATIVES];
        for (int i = 0; i < out.length; i++) {
            int w;
            do {
                w = random.nextInt(n);
            } while (w == u || known.contains(u, w));
            out[i] = w;
        }
        return out;
    }
}

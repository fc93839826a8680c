package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Random;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;
import org.lastfmgnn.model.Gradients;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.Parameter;

/**
 * GNNExplainer (Ying et al. 2019) for one user's region prediction: a soft mask over the message edges of the
 * user's computation subgraph and a mask over the input features are learned by gradient descent to keep the
 * model confident in its prediction, with the paper's size and entropy penalties. The masks scale dense
 * messages and inputs, so they receive real gradients (the seed study's did not; SEED.md flaw 5).
 */
public final class GnnExplainer {
    /** Coefficients as in PyTorch Geometric's GNNExplainer. */
    public record Settings(int epochs, double learningRate, double edgeSize, double edgeEntropy, double featureSize,
                           double featureEntropy) {
        public static Settings defaults(int epochs) {
            return new Settings(epochs, 0.01, 0.005, 1.0, 1.0, 0.1);
        }
    }

    /** The output being explained: its log-probability under a (masked) graph and (masked) inputs. */
    public interface Target {
        NDArray logProbability(GraphTensors graph, NDArray features);
    }

    /**
     * What the explainer found. Edge arrays index the computation subgraph's message edges (self-loops are not
     * masked); {@code edgeIds} are their positions in GraphTensors.
     */
    public record Explanation(int user, double probability, int[] edgeIds, int[] edgeSource, int[] edgeTarget,
                              float[] edgeImportance, float[] featureImportance, float[] artistImportance,
                              double fidelityPlus, double fidelityPlusRandom, double fidelityMinus, double sparsity,
                              int topK) {
    }

    private GnnExplainer() {
    }

    /**
     * @param target   the output to explain (a region class, or an artist's score)
     * @param features dense inputs [N x width] built without what is being explained
     * @param hops     message-passing layers of the model: the computation subgraph's radius
     * @param artists  width of the sparse artist input to mask as well (0: none)
     */
    public static Explanation explain(Target target, GraphTensors tensors, GraphSnapshot g, float[] features,
                                      int width, int user, int hops, int artists, Settings settings, int topK, long seed) {
        int[] edgeIds = computationEdges(g, tensors, user, hops);
        int m = edgeIds.length;
        int[] source = new int[m];
        int[] targetUsers = new int[m];
        for (int i = 0; i < m; i++) {
            source[i] = tensors.sourceIndex()[edgeIds[i]];
            targetUsers[i] = tensors.targetIndex()[edgeIds[i]];
        }
        Random random = new Random(seed);
        try (NDManager manager = tensors.manager().newSubManager()) {
            NDArray x = tensors.dense(features, width);
            x.attach(manager);
            NDArray selection = tensors.edgeSelection(edgeIds);
            selection.attach(manager);
            double p0 = probability(target, tensors, x, null);
            Parameter artistLogits = artists == 0 ? null
                    : Parameter.constant(manager, "explain.artists", new Shape(artists), 0f);
            if (artistLogits != null) {
                artistLogits.set(noisy(artists, random));
            }
            Parameter edgeLogits = Parameter.constant(manager, "explain.edges", new Shape(Math.max(1, m)), 0f);
            Parameter featureLogits = Parameter.constant(manager, "explain.features", new Shape(width), 0f);
            edgeLogits.set(noisy(Math.max(1, m), random));
            featureLogits.set(noisy(width, random));
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) settings.learningRate())).build();
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                try (AutoCloseable turn = Gradients.turn()) {
                    step(target, tensors, x, selection, edgeLogits, featureLogits, artistLogits, settings);
                    for (Parameter p : artistLogits == null ? new Parameter[] {edgeLogits, featureLogits}
                            : new Parameter[] {edgeLogits, featureLogits, artistLogits}) {
                        try (NDArray gradient = p.array().getGradient()) {
                            adam.update(p.name(), p.array(), gradient);
                        }
                    }
                } catch (Exception e) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
            float[] edgeImportance = sigmoid(Arrays.copyOf(edgeLogits.values(), m));
            float[] featureImportance = sigmoid(featureLogits.values());
            float[] artistImportance = artistLogits == null ? null : sigmoid(artistLogits.values());
            int k = Math.min(topK, m);
            int[] top = topIndices(edgeImportance, k);
            double removeTop = p0 - probability(target, tensors, x, edgeMaskWith(tensors.edgeCount(), edgeIds, top, 0f, 1f));
            double removeRandom = 0;
            int draws = 5;
            for (int d = 0; d < draws; d++) {
                int[] shuffled = randomSubset(m, k, random);
                removeRandom += (p0 - probability(target, tensors, x, edgeMaskWith(tensors.edgeCount(), edgeIds, shuffled, 0f, 1f))) / draws;
            }
            // keep only the top k of the subgraph's edges (the rest of the subgraph masked out)
            float[] keepOnly = edgeMaskWith(tensors.edgeCount(), edgeIds, top, 1f, 1f);
            for (int i = 0; i < m; i++) {
                if (Arrays.binarySearch(sorted(top), i) < 0) {
                    keepOnly[edgeIds[i]] = 0f;
                }
            }
            double keepTop = p0 - probability(target, tensors, x, keepOnly);
            return new Explanation(user, p0, edgeIds, source, targetUsers, edgeImportance, featureImportance,
                    artistImportance, removeTop, removeRandom, keepTop, m == 0 ? 0 : 1 - k / (double) m, k);
        }
    }

    /** One optimisation step of the two masks: confident in the prediction, small, and near 0 or 1. */
    private static void step(Target target, GraphTensors tensors, NDArray x, NDArray selection, Parameter edgeLogits,
                             Parameter featureLogits, Parameter artistLogits, Settings settings) {
        try (NDScope scope = new NDScope();
             GradientCollector collector = Gradients.collector()) {
            scope.suppressNotUsedWarning();
            Parameter.zeroGradients(artistLogits == null ? java.util.List.of(edgeLogits, featureLogits)
                    : java.util.List.of(edgeLogits, featureLogits, artistLogits));
            NDArray edgeMask = Activation.sigmoid(edgeLogits.array());
            NDArray featureMask = Activation.sigmoid(featureLogits.array());
            // 1 on every edge outside the subgraph, the mask on the subgraph's edges
            NDArray full = selection.matMul(edgeMask.sub(1f).reshape(-1, 1)).reshape(-1).add(1f);
            GraphTensors masked = tensors.withEdgeMask(full);
            NDArray artistMask = artistLogits == null ? null : Activation.sigmoid(artistLogits.array());
            if (artistMask != null) {
                masked = masked.withArtistMask(artistMask);
            }
            NDArray loss = target.logProbability(masked, x.mul(featureMask)).neg()
                    .add(edgeMask.sum().mul((float) settings.edgeSize()))
                    .add(entropy(edgeMask).mul((float) settings.edgeEntropy()))
                    .add(featureMask.mean().mul((float) settings.featureSize()))
                    .add(entropy(featureMask).mul((float) settings.featureEntropy()));
            if (artistMask != null) {
                // the artists are features too: the same size and entropy penalties
                loss = loss.add(artistMask.mean().mul((float) settings.featureSize()))
                        .add(entropy(artistMask).mul((float) settings.featureEntropy()));
            }
            collector.backward(loss);
        }
    }

    /** Message edges (not self-loops) whose receiver lies within hops - 1 of the user. */
    static int[] computationEdges(GraphSnapshot g, GraphTensors tensors, int user, int hops) {
        int[] distance = ComputationSubgraph.distances(g, user, hops - 1);
        IntList edges = new IntList();
        for (int e = 0; e < tensors.edgeCount(); e++) {
            int s = tensors.sourceIndex()[e];
            int t = tensors.targetIndex()[e];
            if (s != t && distance[t] <= hops - 1) {
                edges.add(e);
            }
        }
        return edges.toArray();
    }

    private static NDArray entropy(NDArray p) {
        NDArray q = p.clip(1e-6f, 1 - 1e-6f);
        return q.mul(q.log()).add(q.neg().add(1f).mul(q.neg().add(1f).log())).neg().mean();
    }

    private static double probability(Target target, GraphTensors tensors, NDArray x, float[] mask) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            GraphTensors graph = mask == null ? tensors : tensors.withEdgeMask(tensors.manager().create(mask));
            return Math.exp(target.logProbability(graph, x).getFloat());
        }
    }

    /** A full-graph mask: 1 everywhere, {@code value} on the chosen subgraph edges. */
    private static float[] edgeMaskWith(int edges, int[] edgeIds, int[] chosen, float value, float rest) {
        float[] mask = new float[edges];
        Arrays.fill(mask, rest);
        for (int i : chosen) {
            mask[edgeIds[i]] = value;
        }
        return mask;
    }

    private static int[] topIndices(float[] values, int k) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> values[b] != values[a] ? Float.compare(values[b], values[a]) : Integer.compare(a, b));
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = order[i];
        }
        return top;
    }

    private static int[] randomSubset(int m, int k, Random random) {
        int[] all = new int[m];
        for (int i = 0; i < m; i++) {
            all[i] = i;
        }
        org.lastfmgnn.training.Folds.shuffle(all, random);
        return Arrays.copyOf(all, k);
    }

    private static int[] sorted(int[] values) {
        int[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    private static float[] noisy(int n, Random random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1.0 + 0.1 * random.nextGaussian()); // sigmoid(1) ~ 0.73: every edge starts mostly in
        }
        return v;
    }

    private static float[] sigmoid(float[] logits) {
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (1 / (1 + Math.exp(-logits[i])));
        }
        return out;
    }
}

package org.lastfmgnn.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.lastfmgnn.model.GatPropagation;
import org.lastfmgnn.model.Gradients;
import org.lastfmgnn.model.Tensors;

/**
 * The {@link ExplainerMethod}s: each turns one prediction and its candidate edges into an {@link Attribution}.
 * Gradients are taken with respect to masks that scale the candidate edges' messages and the user's own inputs;
 * every mask is 1 on the graph as served.
 */
public final class Explainers {
    /** Knobs of the iterative methods. */
    public record Settings(int epochs, int integrationSteps) {
        public static Settings defaults() {
            return new Settings(100, 20);
        }
    }

    private Explainers() {
    }

    public static Attribution explain(ExplainerMethod method, ExplainedPrediction p, int[] candidates, Settings settings,
                                      long seed) {
        return switch (method) {
            case RANDOM -> random(p, candidates, new SplittableRandom(seed)); // neighbouring seeds, unrelated draws
            case SALIENCY -> saliency(p, candidates);
            case GRADIENT -> gradient(p, candidates);
            case INTEGRATED_GRADIENTS -> integratedGradients(p, candidates, settings.integrationSteps());
            case OCCLUSION -> occlusion(p, candidates);
            case ATTENTION -> attention(p, candidates);
            case GNN_EXPLAINER -> GnnExplainer.explain(p, candidates, GnnExplainer.Settings.defaults(settings.epochs()), seed);
        };
    }

    /** Uniform random scores: the floor. */
    static Attribution random(ExplainedPrediction p, int[] candidates, SplittableRandom random) {
        float[] edges = new float[candidates.length];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = (float) random.nextDouble();
        }
        float[] features = new float[p.featureNames().size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        return new Attribution(edges, features, null);
    }

    /** |gradient| of log p with respect to each mask, at the full graph. */
    static Attribution saliency(ExplainedPrediction p, int[] candidates) {
        float[][] g = gradients(p, candidates, 1f);
        return new Attribution(abs(g[0]), abs(g[1]), g[2] == null ? null : abs(g[2]));
    }

    /**
     * d log p / d mask at the full graph, signed: log p(mask 0) ~ log p(1) - gradient, so the largest gradients are
     * the edges (and own inputs) whose removal alone would lower p the most, the ranking occlusion measures exactly.
     */
    static Attribution gradient(ExplainedPrediction p, int[] candidates) {
        float[][] g = gradients(p, candidates, 1f);
        return new Attribution(g[0], g[1], g[2]);
    }

    /**
     * Integrated gradients from the baseline "no candidate edge, no own input" (masks 0) to the graph as served
     * (masks 1), midpoint rule with {@code steps} points; (1 - 0) x mean gradient.
     */
    static Attribution integratedGradients(ExplainedPrediction p, int[] candidates, int steps) {
        float[][] sum = null;
        for (int s = 0; s < steps; s++) {
            float[][] g = gradients(p, candidates, (s + 0.5f) / steps);
            if (sum == null) {
                sum = g;
            } else {
                for (int part = 0; part < 3; part++) {
                    if (g[part] != null) {
                        for (int i = 0; i < g[part].length; i++) {
                            sum[part][i] += g[part][i];
                        }
                    }
                }
            }
        }
        for (float[] part : sum) {
            if (part != null) {
                for (int i = 0; i < part.length; i++) {
                    part[i] /= steps;
                }
            }
        }
        return new Attribution(sum[0], sum[1], sum[2]);
    }

    /** The drop of the explained probability when one edge (or own input) alone is removed. */
    static Attribution occlusion(ExplainedPrediction p, int[] candidates) {
        int c = p.explainedClass();
        float p0 = at(p.probabilities(null), c, p);
        float[] edges = new float[candidates.length];
        float[][] removed = p.probabilitiesWithoutEach(candidates);
        for (int i = 0; i < candidates.length; i++) {
            edges[i] = p0 - at(removed[i], c, p);
        }
        float[] features = new float[p.featureNames().size()];
        for (int f = 0; f < features.length; f++) {
            float[] without = new float[features.length];
            java.util.Arrays.fill(without, 1f);
            without[f] = 0f;
            features[f] = p0 - probabilityWithFeatures(p, without);
        }
        return new Attribution(edges, features, null);
    }

    /** GAT attention on each candidate edge: mean over the heads of every attention layer. */
    static Attribution attention(ExplainedPrediction p, int[] candidates) {
        List<GatPropagation> layers = p.attentionLayers();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("method 'attention' explains GAT models only; this model has no attention. "
                    + "Use saliency, integratedGradients, occlusion, gnnExplainer or random");
        }
        // an evaluation pass on this graph, whose attention the layers record for this call
        Map<GatPropagation, float[]> recorded = GatPropagation.recordAttention(() -> p.probabilities(null)).attention();
        float[] edges = new float[candidates.length];
        for (GatPropagation layer : layers) {
            float[] a = recorded.get(layer);
            int heads = layer.heads();
            for (int i = 0; i < candidates.length; i++) {
                float sum = 0;
                for (int h = 0; h < heads; h++) {
                    sum += a[candidates[i] * heads + h];
                }
                edges[i] += sum / heads / layers.size();
            }
        }
        return new Attribution(edges, new float[0], null);
    }

    private static float at(float[] probabilities, int c, ExplainedPrediction p) {
        return p.isClassifier() ? probabilities[c] : probabilities[0];
    }

    private static float probabilityWithFeatures(ExplainedPrediction p, float[] featureMask) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDManager m = p.graph().manager();
            return (float) Math.exp(p.logProbability(null, Tensors.of(m, featureMask), null).getFloat());
        }
    }

    /** Gradients of log p with respect to the edge, feature and artist masks, all set to {@code value}. */
    private static float[][] gradients(ExplainedPrediction p, int[] candidates, float value) {
        try (NDScope scope = new NDScope();
             GradientCollector collector = Gradients.collector()) {
            scope.suppressNotUsedWarning();
            NDManager m = p.graph().manager();
            NDArray edgeMask = m.full(new Shape(Math.max(1, candidates.length)), value);
            edgeMask.setRequiresGradient(true);
            int features = p.featureNames().size();
            NDArray featureMask = features == 0 ? null : m.full(new Shape(features), value);
            if (featureMask != null) {
                featureMask.setRequiresGradient(true);
            }
            int artists = p.artists().length;
            NDArray artistMask = artists == 0 ? null : m.full(new Shape(artists), value);
            if (artistMask != null) {
                artistMask.setRequiresGradient(true);
            }
            NDArray edges = candidates.length == 0 ? null : p.graph().spreadMask(candidates, edgeMask);
            collector.backward(p.logProbability(edges, featureMask, artistMask));
            float[] edgeGradient = candidates.length == 0 ? new float[0] : edgeMask.getGradient().toFloatArray();
            return new float[][] {edgeGradient,
                    featureMask == null ? new float[0] : featureMask.getGradient().toFloatArray(),
                    artistMask == null ? null : artistMask.getGradient().toFloatArray()};
        }
    }

    private static float[] abs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }
}

package org.lastfmgnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.LinkPredictor;
import org.lastfmgnn.model.Tensors;
import org.lastfmgnn.recommend.PairFeatures;

/**
 * A trained {@link LinkPredictor}: its weights and what rebuilds it (the region count of its node inputs, the seed
 * of its layout), the epoch validation chose and that epoch's validation AUC against two-hop negatives. Saved in the
 * model catalog as a {@code friends} model; {@link FriendEvaluation} trains one on the visible friendships.
 */
public record LinkModel(float[][] weights, int classes, int epochs, long seed, double validationAuc,
                        double millisPerEpoch) {
    /** The model's description as saved beside its weights (its sizes are {@link LinkPredictor#standard}'s). */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("randomSeed", seed);
        m.put("epochs", epochs);
        m.put("validationAuc", validationAuc);
        m.put("hiddenSize", LinkPredictor.HIDDEN);
        m.put("embeddingSize", LinkPredictor.EMBEDDING);
        m.put("pairFeatures", PairFeatures.NAMES);
        return m;
    }


    /**
     * The order of a served friend list ({@code lastfm.recommend.friends} with a model): friends of friends first
     * (the candidates of a "people you may know" list), each group by the predictor's probability. The predictor
     * alone ranks worse among all users: it gives a probability to same-region users without a common friend (so it
     * finds hidden friends Adamic-Adar cannot), and thousands of such users then crowd the top of the list
     * (BENCHMARKS.md, "Friends: the served list"). Two-hop candidates score in [2, 3), the others in [0, 1].
     */
    public static double servedOrder(double logit, double commonFriends) {
        return (commonFriends > 0 ? 2 : 0) + 1 / (1 + Math.exp(-logit));
    }

    /** The pairs' features from {@code graph} ({@link PairFeatures}), [P x K] in {@code manager}. */
    static NDArray pairFeatures(NDManager manager, GraphSnapshot graph, int[] us, int[] vs) {
        return Tensors.of(manager, PairFeatures.of(graph, us, vs), new Shape(us.length, PairFeatures.NAMES.size()));
    }

    /** The predictor with these weights, in {@code manager}. */
    public LinkPredictor restore(NDManager manager) {
        LinkPredictor model = LinkPredictor.standard(manager, classes, seed);
        model.restore(weights);
        return model;
    }

    /**
     * Scores pairs on {@code graph}, which is both the message graph of the encoder and the source of the pair
     * features (in an evaluation, the graph without the hidden friendships): the embeddings are computed once.
     */
    public Scorer scorer(GraphSnapshot graph) {
        return new Scorer(this, graph);
    }

    /**
     * A predictor, the graph's tensors and every user's embedding under it. A scorer made by {@link #scorer} owns
     * them (a manager of its own) and closes them; one made by {@link #borrowing} (a model in training, scored for
     * validation) leaves them to their owner.
     */
    public static final class Scorer implements AutoCloseable {
        private final GraphSnapshot graph;
        private final NDManager manager;
        private final GraphTensors tensors;
        private final LinkPredictor model;
        private final boolean owned;
        /** [N x d] row-major. */
        private final float[] embeddings;

        private Scorer(LinkModel trained, GraphSnapshot graph) {
            NDManager own = Engines.newCpuManager();
            try {
                GraphTensors t = new GraphTensors(own, graph, false);
                this.graph = graph;
                this.manager = own;
                this.tensors = t;
                this.model = trained.restore(own);
                this.owned = true;
                this.embeddings = embed(model, t, graph, trained.classes());
            } catch (RuntimeException e) {
                own.close();
                throw e;
            }
        }

        private Scorer(LinkPredictor model, GraphTensors tensors, GraphSnapshot graph, int classes) {
            this.graph = graph;
            this.manager = tensors.manager();
            this.tensors = tensors;
            this.model = model;
            this.owned = false;
            this.embeddings = embed(model, tensors, graph, classes);
        }

        /** The current weights of {@code model} on {@code tensors} (of {@code graph}), owned by the caller. */
        static Scorer borrowing(LinkPredictor model, GraphTensors tensors, GraphSnapshot graph, int classes) {
            return new Scorer(model, tensors, graph, classes);
        }

        private static float[] embed(LinkPredictor model, GraphTensors tensors, GraphSnapshot graph, int classes) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                return model.embed(tensors, Tensors.of(tensors.manager(), LinkPredictor.nodeInputs(graph, classes),
                        LinkPredictor.nodeInputShape(graph.userCount(), classes)), false).toFloatArray();
            }
        }

        /** Logits of the pairs us[i]-vs[i]: higher is likelier a friendship. */
        public double[] logits(int[] us, int[] vs) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                int d = embeddings.length / graph.userCount();
                float[] out = model.logits(tensors, Tensors.of(manager, embeddings, new Shape(graph.userCount(), d)),
                        tensors.indices(us), tensors.indices(vs), pairFeatures(manager, graph, us, vs), false).toFloatArray();
                double[] s = new double[out.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = out[i];
                }
                return s;
            }
        }

        @Override
        public void close() {
            if (owned) {
                model.close();
                manager.close();
            }
        }
    }
}

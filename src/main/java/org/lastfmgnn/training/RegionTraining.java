package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.progress.ProgressTracker;

/**
 * Region prediction from start to finish on a snapshot: cross validation (with grid search and baselines),
 * then a final model on all labelled users with the grid point the folds chose most often, which predicts the
 * users that have no region. Every labelled user keeps its out-of-fold prediction.
 */
public final class RegionTraining {
    /** The run's outcome; {@code weights} are the final model's, ready to be saved. */
    public record Outcome(CrossValidation.Result cv, HyperParameters best, ModelShape shape, float[][] weights,
                          Set<String> inputs, int[] predicted, float[] probabilities, int[] predictionFold,
                          double millisPerEpoch, int classes, Attention attention) {
    }

    /**
     * The final GAT's first-layer attention, [edges x heads] row-major, for the message edges source -> target
     * (self-loops included); null for other models.
     */
    public record Attention(float[] weights, int heads, int[] source, int[] target) {
    }

    private RegionTraining() {
    }

    /** The inputs a run uses: as asked, else labels + structure, plus artists only when the real likes are loaded. */
    public static Set<String> inputs(TrainConfig config, GraphSnapshot graph) {
        Set<String> inputs = new LinkedHashSet<>();
        if (config.inputsGiven()) {
            inputs.addAll(config.inputs());
        } else {
            inputs.addAll(List.of("labels", "structure"));
            if ("real".equals(graph.featureSource())) {
                inputs.add("artists");
            }
        }
        if (inputs.contains("artists") && graph.likes().length == 0) {
            throw new IllegalArgumentException("lastfm.gnn.train: inputs include 'artists' but the graph holds no LIKES; "
                    + "load them with CALL lastfm.load({features: 'auto'|'synthetic'|'<file>'})");
        }
        return inputs;
    }

    public static Outcome run(GraphSnapshot graph, TrainConfig config, ProgressTracker progress) {
        int[] regions = graph.regions();
        long labelled = Arrays.stream(regions).filter(r -> r >= 0).count();
        if (labelled < 2L * config.folds()) {
            throw new IllegalArgumentException("lastfm.gnn.train: " + labelled + " users with a region; " + config.folds()
                    + "-fold cross validation needs at least " + (2 * config.folds()) + ". Load the data first: CALL lastfm.load()");
        }
        Set<String> inputs = inputs(config, graph);
        int classes = graph.classCount();
        RegionInputs features = new RegionInputs(graph, inputs, classes);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            CrossValidation cv = new CrossValidation(graph, features, config.model(), config.grid(), config.folds(),
                    config.randomSeed(), config.mlpBaseline(), progress);
            CrossValidation.Result result = cv.run(manager);
            HyperParameters best = mostSelected(result.folds());
            ModelShape shape = cv.shape(config.model(), best);

            progress.stage("final model on all " + labelled + " labelled users");
            boolean[] labelledMask = new boolean[regions.length];
            for (int u = 0; u < regions.length; u++) {
                labelledMask[u] = regions[u] >= 0;
            }
            int[] all = Folds.members(labelledMask);
            boolean[] validationMask = Folds.holdOut(all, regions, 0.2, config.randomSeed() + 7);
            boolean[] fitMask = labelledMask.clone();
            for (int u = 0; u < regions.length; u++) {
                fitMask[u] &= !validationMask[u];
            }
            int[] predicted = result.predicted().clone();
            float[] probabilities = result.probabilities().clone();
            int[] fold = result.predictionFold().clone();
            float[][] weights;
            Attention attention = null;
            try (GraphTensors tensors = new GraphTensors(manager, graph, features.usesArtists());
                 NodeClassifier model = new NodeClassifier(manager, shape, config.randomSeed())) {
                ClassifierFit.fit(model, tensors, features, regions, Folds.members(fitMask), Folds.members(validationMask),
                        best, config.randomSeed(), (epoch, accuracy) -> progress.checkCancelled());
                weights = model.snapshot();
                float[] p = new RegionPredictor(graph, features, tensors, model, best.smoothing())
                        .probabilities(regions, labelledMask);
                if (!model.attentionLayers().isEmpty()) {
                    var first = model.attentionLayers().get(0);
                    attention = new Attention(first.lastAttention(), first.heads(), tensors.sourceIndex(), tensors.targetIndex());
                }
                for (int u = 0; u < regions.length; u++) {
                    if (regions[u] < 0) {
                        predicted[u] = Metrics.argmax(p, u * classes, classes);
                        System.arraycopy(p, u * classes, probabilities, u * classes, classes);
                        fold[u] = -1;
                    }
                }
            }
            progress.advance(1);
            double epochMillis = result.folds().stream().mapToDouble(CrossValidation.Fold::millisPerEpoch).average().orElse(0);
            return new Outcome(result, best, shape, weights, inputs, predicted, probabilities, fold, epochMillis, classes,
                    attention);
        }
    }

    /** The grid point chosen by most folds (ties: the earliest in the grid). */
    static HyperParameters mostSelected(List<CrossValidation.Fold> folds) {
        Map<HyperParameters, Integer> votes = new LinkedHashMap<>();
        for (CrossValidation.Fold f : folds) {
            votes.merge(f.selected(), 1, Integer::sum);
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}

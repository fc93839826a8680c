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
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionInput;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.Refinement;
import org.lastfmgnn.progress.ProgressTracker;

/**
 * Region prediction from start to finish on a snapshot: held-out evaluation (with the choice of family, grid
 * point and refinement on validation, and the baselines), then a final model on all labelled users with the
 * family and grid point the rounds chose most often, its refinement chosen on a validation split of its own.
 * The final model predicts the users that have no region; every tested user keeps its held-out prediction.
 */
public final class RegionTraining {
    /** The run's outcome; {@code weights} are the final model's, ready to be saved (empty without a body). */
    public record Outcome(CrossValidation.Result cv, CrossValidation.Choice chosen, ModelShape shape, boolean readsLabels,
                          float[][] weights, Set<String> inputs, int[] predicted, float[] probabilities,
                          int[] predictionRound, double millisPerEpoch, int classes, Attention attention) {
    }

    /**
     * The final GAT's first-layer attention, [edges x heads] row-major, for the message edges source -> target
     * (self-loops included); null for other models.
     */
    public record Attention(float[] weights, int heads, int[] source, int[] target) {
    }

    private RegionTraining() {
    }

    /**
     * The inputs a run uses: as asked, else labels (for the models that read them) and structure, plus artists
     * only when the real likes are loaded.
     */
    public static Set<String> inputs(TrainConfig config, GraphSnapshot graph) {
        Set<String> inputs = new LinkedHashSet<>();
        if (config.inputsGiven()) {
            inputs.addAll(config.inputs());
        } else {
            if (config.model().equals(TrainConfig.AUTO) || RegionFamily.of(config.model()).readsLabels()) {
                inputs.add("labels");
            }
            inputs.add("structure");
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
        int rounds = config.rounds();
        if (labelled < 2L * rounds || labelled < 10) {
            throw new IllegalArgumentException("lastfm.gnn.train: " + labelled + " users with a region; " + config.evaluation().describe()
                    + " evaluation needs at least " + Math.max(10, 2 * rounds) + ". Load the data first: CALL lastfm.load()");
        }
        Set<String> inputs = inputs(config, graph);
        int classes = graph.classCount();
        RegionInputs features = new RegionInputs(graph, inputs, classes);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            CrossValidation cv = new CrossValidation(graph, features, config.plans(),
                    CrossValidation.baselinePlans(config.model(), config.baselines(), config.mlpBaseline()),
                    config.evaluation(), config.sampling(),
                    config.randomSeed(), progress);
            CrossValidation.Result result = cv.run(manager);
            CrossValidation.Choice voted = mostChosen(result.rounds());
            RegionPlan plan = config.plans().stream().filter(p -> p.family() == voted.family()).findFirst().orElseThrow();
            ModelShape shape = voted.hp() == null ? null : cv.shape(voted.family(), voted.hp());
            boolean readsLabels = voted.family().readsLabels() && features.usesLabels();

            progress.stage("final " + voted.family().label() + " model on all " + labelled + " labelled users");
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
            int[] validation = Folds.members(validationMask);
            int[] predicted = result.predicted().clone();
            float[] probabilities = result.probabilities().clone();
            int[] round = result.predictionRound().clone();
            float[][] weights;
            Attention attention = null;
            Refinement refinement;
            try (GraphTensors tensors = new GraphTensors(manager, graph, features.usesArtists());
                 RegionNetwork model = new RegionNetwork(manager, voted.family(), readsLabels, shape, classes,
                         config.randomSeed())) {
                if (voted.hp() != null) {
                    RegionFit.fit(model, tensors, features, regions, Folds.members(fitMask), validation, voted.hp(),
                            config.sampling(), config.randomSeed(), (epoch, accuracy) -> progress.checkCancelled());
                }
                weights = model.snapshot();
                refinement = chooseRefinement(model, tensors, features, regions, fitMask, validation, plan.refinements());
                // users never tested (no region, or outside every test split) are predicted with their own label hidden
                boolean[] isInput = labelledMask.clone();
                for (int u = 0; u < regions.length; u++) {
                    isInput[u] &= round[u] >= 0;
                }
                float[] p = RegionFit.probabilities(model, tensors, features.tensors(tensors, regions, isInput), refinement);
                if (!model.attentionLayers().isEmpty()) {
                    var first = model.attentionLayers().get(0);
                    attention = new Attention(first.lastAttention(), first.heads(), tensors.sourceIndex(), tensors.targetIndex());
                }
                for (int u = 0; u < regions.length; u++) {
                    if (round[u] < 0) {
                        predicted[u] = Metrics.argmax(p, u * classes, classes);
                        System.arraycopy(p, u * classes, probabilities, u * classes, classes);
                    }
                }
            }
            progress.advance(1);
            double epochMillis = result.rounds().stream().mapToDouble(r -> r.chosen().millisPerEpoch()).average().orElse(0);
            CrossValidation.Choice chosen = new CrossValidation.Choice(voted.family(), voted.hp(), refinement,
                    voted.validationAccuracy(), voted.bestEpoch(), voted.millisPerEpoch());
            return new Outcome(result, chosen, shape, readsLabels, weights, inputs, predicted, probabilities, round,
                    epochMillis, classes, attention);
        }
    }

    /** The refinement that does best on {@code validation} with the fitting users' labels as inputs. */
    static Refinement chooseRefinement(RegionNetwork model, GraphTensors tensors, RegionInputs features, int[] regions,
                                       boolean[] fitMask, int[] validation, List<Refinement> candidates) {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            scope.suppressNotUsedWarning();
            RegionInput input = features.tensors(tensors, regions, fitMask);
            double[] accuracies = Refinements.accuracies(tensors, model.base(tensors, input), input, candidates, regions,
                    validation);
            int best = 0;
            for (int r = 1; r < accuracies.length; r++) {
                best = accuracies[r] > accuracies[best] ? r : best;
            }
            return candidates.get(best);
        }
    }

    /** The family and grid point chosen in most rounds (ties: the earliest round's). */
    static CrossValidation.Choice mostChosen(List<CrossValidation.Round> rounds) {
        Map<List<Object>, Integer> votes = new LinkedHashMap<>();
        Map<List<Object>, CrossValidation.Choice> first = new LinkedHashMap<>();
        for (CrossValidation.Round r : rounds) {
            List<Object> key = Arrays.asList(r.chosen().family(), r.chosen().hp());
            votes.merge(key, 1, Integer::sum);
            first.putIfAbsent(key, r.chosen());
        }
        List<Object> winner = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return first.get(winner);
    }
}

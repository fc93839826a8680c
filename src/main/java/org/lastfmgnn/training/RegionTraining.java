package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GatPropagation;
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
        try (NDManager manager = Engines.newManager(config.tensorDevice());
             GraphTensors tensors = new GraphTensors(manager, graph, features.usesArtists());
             Workers workers = new Workers(config.trainingsAtOnce())) {
            CrossValidation cv = new CrossValidation(graph, features, config.plans(),
                    CrossValidation.baselinePlans(config.model(), config.baselines(), config.mlpBaseline()),
                    config.evaluation(), config.sampling(),
                    config.randomSeed(), progress);
            // with one candidate the rounds cannot choose another: the final model is fitted beside them
            FinalRun finalRun = new FinalRun(tensors, features, cv, regions, fitMask, validation, labelled, config, progress);
            RegionPlan only = config.onlyCandidate();
            FinalModel ahead = only == null ? null
                    : new FinalModel(manager, finalRun, only.family(), only.grid().isEmpty() ? null : only.grid().get(0));
            CrossValidation.Result result = cv.run(tensors, cv.folds(), workers, ahead == null ? null : ahead::fit);
            CrossValidation.Choice voted = mostChosen(result.rounds());
            FinalModel finalModel = ahead;
            if (finalModel == null) {
                finalModel = new FinalModel(manager, finalRun, voted.family(), voted.hp());
                finalModel.fit();
            }
            RegionPlan plan = config.plans().stream().filter(p -> p.family() == voted.family()).findFirst().orElseThrow();
            ModelShape shape = finalModel.shape;
            boolean readsLabels = finalModel.readsLabels;
            int[] predicted = result.predicted().clone();
            float[] probabilities = result.probabilities().clone();
            int[] round = result.predictionRound().clone();
            float[][] weights;
            Attention attention = null;
            Refinement refinement;
            try (RegionNetwork model = finalModel.network) {
                weights = model.snapshot();
                refinement = finalModel.chooseRefinement(plan.refinements());
                // users never tested (no region, or outside every test split) are predicted with their own label hidden
                boolean[] isInput = labelledMask.clone();
                for (int u = 0; u < regions.length; u++) {
                    isInput[u] &= round[u] >= 0;
                }
                GatPropagation.Recorded<float[]> served = GatPropagation.recordAttention(() ->
                        RegionFit.probabilities(model, tensors, features.tensors(tensors, regions, isInput), refinement));
                float[] p = served.result();
                if (!model.attentionLayers().isEmpty()) {
                    var first = model.attentionLayers().get(0);
                    attention = new Attention(served.attention().get(first), first.heads(), tensors.sourceIndex(),
                            tensors.targetIndex());
                }
                for (int u = 0; u < regions.length; u++) {
                    if (round[u] < 0) {
                        predicted[u] = Metrics.argmax(p, u * classes, classes);
                        System.arraycopy(p, u * classes, probabilities, u * classes, classes);
                    }
                }
            }
            double epochMillis = result.rounds().stream().mapToDouble(r -> r.chosen().millisPerEpoch()).average().orElse(0);
            CrossValidation.Choice chosen = new CrossValidation.Choice(voted.family(), voted.hp(), refinement,
                    voted.validationAccuracy(), voted.bestEpoch(), voted.millisPerEpoch());
            return new Outcome(result, chosen, shape, readsLabels, weights, inputs, predicted, probabilities, round,
                    epochMillis, classes, attention);
        }
    }

    /**
     * What a run's final model is fitted on: the run's shared tensors and inputs, and its own split of the labelled
     * users ({@code fitMask} fits, {@code validation} stops the training and chooses the refinement).
     */
    private record FinalRun(GraphTensors tensors, RegionInputs features, CrossValidation cv, int[] regions,
                            boolean[] fitMask, int[] validation, long labelled, TrainConfig config,
                            ProgressTracker progress) {
    }

    /**
     * The model on all labelled users but a validation share of its own (which chooses its refinement and stops its
     * training), with the family and grid point the rounds chose; it reads the shared tensors only.
     */
    private static final class FinalModel {
        private final FinalRun run;
        private final RegionFamily family;
        private final HyperParameters hp;
        private final ModelShape shape;
        private final boolean readsLabels;
        private final RegionNetwork network;

        /** @param hp the grid point, or null for a family without a body (label propagation) */
        FinalModel(NDManager manager, FinalRun run, RegionFamily family, HyperParameters hp) {
            this.run = run;
            this.family = family;
            this.hp = hp;
            this.shape = hp == null ? null : run.cv().shape(family, hp);
            this.readsLabels = family.readsLabels() && run.features().usesLabels();
            this.network = new RegionNetwork(manager, family, readsLabels, shape, run.features().classes(),
                    run.config().randomSeed());
        }

        void fit() {
            ProgressTracker progress = run.progress();
            progress.stage("final " + family.label() + " model on all " + run.labelled() + " labelled users");
            if (hp != null) {
                RegionFit.fit(network, run.tensors(), run.features(), run.regions(), Folds.members(run.fitMask()),
                        run.validation(), hp, run.config().sampling(), run.config().randomSeed(),
                        (epoch, accuracy) -> progress.checkCancelled());
            }
            progress.advance(1);
        }

        /** The refinement that does best on the validation users with the fitting users' labels as inputs. */
        Refinement chooseRefinement(List<Refinement> candidates) {
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                RegionInput input = run.features().tensors(run.tensors(), run.regions(), run.fitMask());
                double[] accuracies = Refinements.accuracies(run.tensors(), network.base(run.tensors(), input), input,
                        candidates, run.regions(), run.validation());
                int best = 0;
                for (int r = 1; r < accuracies.length; r++) {
                    best = accuracies[r] > accuracies[best] ? r : best;
                }
                return candidates.get(best);
            }
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

package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionInput;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.Refinement;
import org.lastfmgnn.progress.ProgressTracker;

/**
 * Held-out evaluation of region prediction ({@link Evaluation}: k folds or repeated splits). In every round the
 * model and each baseline get the same chance: the same training users, their own candidates (grid points and
 * refinements) judged on the same validation split, never on the test users, who give no label input and no
 * loss. With several model plans ({@code auto}) the family is chosen on validation too.
 */
public final class CrossValidation {
    /** What validation chose for one plan in one round, and how it did there. */
    public record Choice(RegionFamily family, HyperParameters hp, Refinement refinement, double validationAccuracy,
                         int bestEpoch, double millisPerEpoch) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", family.label());
            if (hp != null) {
                m.putAll(hp.toMap());
            }
            m.putAll(refinement.toMap());
            return m;
        }
    }

    /** The outcome of one round. */
    public record Round(int round, double accuracy, double macroF1, Choice chosen, Map<String, Double> baselineAccuracy,
                        Map<String, Choice> baselineChoices) {
    }

    /**
     * Everything a run measured, with the held-out prediction of every user that was tested, and each trained
     * baseline's held-out probabilities [N x classes] (rows of users never tested are zero). A user tested in
     * several rounds (repeated splits) keeps the earliest round's, for the model and the baselines alike.
     */
    public record Result(List<Round> rounds, int[] predicted, float[] probabilities, int[] predictionRound,
                         Map<String, double[]> baselineAccuracies, Map<String, double[]> baselineMacroF1,
                         Map<String, float[]> baselineProbabilities) {
        public double[] accuracies() {
            return rounds.stream().mapToDouble(Round::accuracy).toArray();
        }

        public double[] macroF1s() {
            return rounds.stream().mapToDouble(Round::macroF1).toArray();
        }
    }

    /** Names of the rule baselines, measured in every round. */
    public static final String NEIGHBOR_MAJORITY = "neighborMajority";
    public static final String MAJORITY_CLASS = "majorityClass";

    private final GraphSnapshot graph;
    private final RegionInputs inputs;
    private final List<RegionPlan> plans;
    private final List<RegionPlan> baselinePlans;
    private final Evaluation evaluation;
    private final long seed;
    private final Sampling sampling;
    private final ProgressTracker progress;

    /**
     * @param plans         the model's plans: one, or several for {@code auto} (chosen on validation)
     * @param baselinePlans the trained baselines, each with its own default plan; reported beside the model
     */
    public CrossValidation(GraphSnapshot graph, RegionInputs inputs, List<RegionPlan> plans, List<RegionPlan> baselinePlans,
                           Evaluation evaluation, long seed, ProgressTracker progress) {
        this(graph, inputs, plans, baselinePlans, evaluation, Sampling.FULL_BATCH, seed, progress);
    }

    /** @param sampling how every body of the run (the model's and the neural baselines') takes its training steps */
    public CrossValidation(GraphSnapshot graph, RegionInputs inputs, List<RegionPlan> plans, List<RegionPlan> baselinePlans,
                           Evaluation evaluation, Sampling sampling, long seed, ProgressTracker progress) {
        this.sampling = sampling;
        this.graph = graph;
        this.inputs = inputs;
        this.plans = plans;
        this.baselinePlans = baselinePlans;
        this.evaluation = evaluation;
        this.seed = seed;
        this.progress = progress;
    }

    /**
     * The baselines trained beside {@code model}: every other default family (neural ones only if asked), or none
     * when {@code trained} is false (the untrained rules are measured in every round anyway).
     */
    public static List<RegionPlan> baselinePlans(String model, boolean trained, boolean neural) {
        List<RegionPlan> out = new ArrayList<>();
        if (!trained) {
            return out;
        }
        List<RegionFamily> families = new ArrayList<>(List.of(RegionFamily.LABEL_PROPAGATION, RegionFamily.CORRECT_AND_SMOOTH));
        if (neural) {
            families.add(RegionFamily.MLP);
            families.add(RegionFamily.LABEL_FEATURE_MLP);
        }
        if (model.equals(TrainConfig.AUTO)) {
            families.addAll(List.of(RegionFamily.GCN, RegionFamily.GAT));
        }
        for (RegionFamily f : families) {
            if (model.equals(TrainConfig.AUTO) || !f.label().equals(model)) {
                out.add(TrainConfig.defaultPlan(f));
            }
        }
        return out;
    }

    public Result run(NDManager manager) {
        return run(manager, folds());
    }

    /** Runs with the given fold of each user (-1: not labelled, never a target); ignored for splits. */
    public Result run(NDManager manager, int[] foldOf) {
        try (GraphTensors tensors = new GraphTensors(manager, graph, inputs.usesArtists())) {
            return run(tensors, foldOf, Workers.SEQUENTIAL, null);
        }
    }

    /** The fold of each user for this run's evaluation and seed. */
    public int[] folds() {
        return evaluation.foldOf(graph.regions(), seed);
    }

    /**
     * Runs the rounds on {@code workers}' threads. A round trains its own networks from its own seeds in a
     * sub-manager of the tensors' manager and reads the shared tensors only, and the rounds are gathered in their
     * order, so every figure is the same for any concurrency. {@code beside}, when given, is one more task among
     * them, taken first: work that needs none of their results (the final model's fit, {@link RegionTraining}).
     */
    public Result run(GraphTensors tensors, int[] foldOf, Workers workers, Runnable beside) {
        int[] regions = graph.regions();
        int n = regions.length;
        int classes = inputs.classes();
        int rounds = evaluation.rounds();
        int first = beside == null ? 0 : 1;
        Gathered gathered = new Gathered(n, classes, rounds);
        workers.forEach(first + rounds, task -> {
            if (task < first) {
                beside.run();
            } else {
                gathered.add(round(tensors, regions, foldOf, task - first));
            }
        });
        return gathered.result();
    }

    /**
     * The rounds' outcomes as they finish, in any order: each round writes its own test users and its own slot, and a
     * user tested in several rounds (splits) keeps the earliest round's prediction, so the result does not depend on
     * the order. A round's arrays are let go once added.
     */
    private static final class Gathered {
        private final int classes;
        private final int rounds;
        private final int[] predicted;
        private final float[] probabilities;
        private final int[] predictionRound;
        private final Round[] out;
        private final Map<String, double[]> baselineAccuracy = new LinkedHashMap<>();
        private final Map<String, double[]> baselineF1 = new LinkedHashMap<>();
        private final Map<String, float[]> baselineProbabilities = new LinkedHashMap<>();
        private final Map<String, int[]> baselineRound = new HashMap<>();

        Gathered(int n, int classes, int rounds) {
            this.classes = classes;
            this.rounds = rounds;
            predicted = new int[n];
            probabilities = new float[n * classes];
            predictionRound = new int[n];
            out = new Round[rounds];
            Arrays.fill(predicted, -1);
            Arrays.fill(predictionRound, -1);
        }

        synchronized void add(RoundOutcome o) {
            int r = o.round().round();
            for (int u : o.test()) {
                if (predictionRound[u] < 0 || r < predictionRound[u]) {
                    predicted[u] = o.prediction()[u];
                    predictionRound[u] = r;
                    System.arraycopy(o.testProbabilities(), u * classes, probabilities, u * classes, classes);
                }
            }
            for (var b : o.baselineTestProbabilities().entrySet()) {
                int n = predicted.length;
                float[] held = baselineProbabilities.computeIfAbsent(b.getKey(), k -> new float[n * classes]);
                int[] from = baselineRound.computeIfAbsent(b.getKey(), k -> filled(n));
                for (int u : o.test()) {
                    if (from[u] < 0 || r < from[u]) {
                        from[u] = r;
                        System.arraycopy(b.getValue(), u * classes, held, u * classes, classes);
                    }
                }
            }
            for (var b : o.round().baselineAccuracy().entrySet()) {
                baselineAccuracy.computeIfAbsent(b.getKey(), key -> new double[rounds])[r] = b.getValue();
                baselineF1.computeIfAbsent(b.getKey(), key -> new double[rounds])[r] = o.baselineMacroF1().get(b.getKey());
            }
            out[r] = o.round();
        }

        private static int[] filled(int n) {
            int[] a = new int[n];
            Arrays.fill(a, -1);
            return a;
        }

        Result result() {
            return new Result(List.of(out), predicted, probabilities, predictionRound, baselineAccuracy, baselineF1,
                    baselineProbabilities);
        }
    }

    /**
     * One round's outcome: its test users, the chosen plan's predictions and probabilities (all users, the test
     * users' rows read) and each trained baseline's, and every baseline's macro-F1.
     */
    private record RoundOutcome(Round round, int[] test, int[] prediction, float[] testProbabilities,
                                Map<String, float[]> baselineTestProbabilities, Map<String, Double> baselineMacroF1) {
    }

    private RoundOutcome round(GraphTensors tensors, int[] regions, int[] foldOf, int r) {
        int n = regions.length;
        int classes = inputs.classes();
        int rounds = evaluation.rounds();
        progress.stage(evaluation.isSplit() ? "split " + (r + 1) + "/" + rounds : "fold " + (r + 1) + "/" + rounds);
        Folds.Split split = evaluation.round(regions, foldOf, r, seed);
        int[] test = split.test();
        Map<String, int[]> baselinePredictions = new LinkedHashMap<>();
        Map<String, Choice> baselineChoices = new LinkedHashMap<>();
        Map<String, float[]> baselineTestProbabilities = new LinkedHashMap<>();
        Selected chosen = null;
        try (NDManager roundManager = tensors.manager().newSubManager()) { // frees every network trained in the round
            RoundContext round = new RoundContext(roundManager, tensors, regions, split, r);
            for (RegionPlan plan : plans) {
                Selected s = round.select(plan);
                if (chosen == null || s.choice.validationAccuracy() > chosen.choice.validationAccuracy()) {
                    chosen = s;
                }
            }
            for (RegionPlan plan : baselinePlans) {
                Selected s = round.select(plan);
                baselinePredictions.put(plan.family().label(), RegionFit.argmax(s.testProbabilities, classes));
                baselineChoices.put(plan.family().label(), s.choice);
                baselineTestProbabilities.put(plan.family().label(), s.testProbabilities);
            }
        }
        int[] roundPrediction = RegionFit.argmax(chosen.testProbabilities, classes);
        boolean[] trainMask = split.trainMask();
        baselinePredictions.put(NEIGHBOR_MAJORITY, Baselines.neighbourMajority(graph, regions, trainMask, classes));
        int[] majority = new int[n];
        Arrays.fill(majority, Baselines.majorityClass(regions, trainMask, classes));
        baselinePredictions.put(MAJORITY_CLASS, majority);
        Map<String, Double> roundBaselines = new LinkedHashMap<>();
        Map<String, Double> baselineF1 = new LinkedHashMap<>();
        for (var b : baselinePredictions.entrySet()) {
            roundBaselines.put(b.getKey(), Metrics.accuracy(b.getValue(), regions, test));
            baselineF1.put(b.getKey(), Metrics.macroF1(b.getValue(), regions, test, classes));
        }
        Round round = new Round(r, Metrics.accuracy(roundPrediction, regions, test),
                Metrics.macroF1(roundPrediction, regions, test, classes), chosen.choice, roundBaselines, baselineChoices);
        progress.stage(String.format(Locale.ROOT, "round %d/%d: %s accuracy %.4f (validation %.4f, epoch %d, %.1f ms/epoch); baselines %s",
                r + 1, rounds, chosen.choice.family().label(), round.accuracy(), chosen.choice.validationAccuracy(),
                chosen.choice.bestEpoch(), chosen.choice.millisPerEpoch(), roundBaselines));
        progress.advance(1);
        return new RoundOutcome(round, test, roundPrediction, chosen.testProbabilities, baselineTestProbabilities,
                baselineF1);
    }

    /** A plan's choice in a round, with its predictions for the round's test users (all training labels as input). */
    record Selected(Choice choice, float[] testProbabilities) {
    }

    /**
     * One round's users and inputs, and the bodies trained in it: families with the same body (the plain MLP of
     * {@code mlp} and of {@code correctAndSmooth}) train it once.
     */
    private final class RoundContext {
        private final NDManager manager;
        private final GraphTensors tensors;
        private final int[] regions;
        private final Folds.Split split;
        private final int round;
        private final RegionInput fitInput;
        private final RegionInput trainInput;
        private final Map<List<Object>, Trained> trained = new HashMap<>();

        RoundContext(NDManager manager, GraphTensors tensors, int[] regions, Folds.Split split, int round) {
            this.manager = manager;
            this.tensors = tensors;
            this.regions = regions;
            this.split = split;
            this.round = round;
            this.fitInput = inputs.tensors(tensors, regions, RegionFit.mask(regions.length, split.fit()));
            this.trainInput = inputs.tensors(tensors, regions, split.trainMask());
        }

        /** Every candidate of the plan judged on validation; the best one's test predictions. */
        Selected select(RegionPlan plan) {
            Choice best = null;
            RegionNetwork bestNetwork = null;
            List<HyperParameters> grid = plan.grid().isEmpty() ? java.util.Collections.singletonList(null) : plan.grid();
            for (int p = 0; p < grid.size(); p++) {
                Trained t = train(plan.family(), grid.get(p), p);
                double[] accuracies;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    accuracies = Refinements.accuracies(tensors, t.network.base(tensors, fitInput), fitInput,
                            plan.refinements(), regions, split.validation());
                }
                for (int r = 0; r < accuracies.length; r++) {
                    if (best == null || accuracies[r] > best.validationAccuracy()) {
                        best = new Choice(plan.family(), grid.get(p), plan.refinements().get(r), accuracies[r],
                                t.outcome.bestEpoch(), t.outcome.millisPerEpoch());
                        bestNetwork = t.network;
                    }
                }
            }
            float[] test = RegionFit.probabilities(bestNetwork, tensors, trainInput, best.refinement());
            return new Selected(best, test);
        }

        private Trained train(RegionFamily family, HyperParameters hp, int gridPoint) {
            boolean readsLabels = family.readsLabels() && inputs.usesLabels();
            List<Object> key = Arrays.asList(family.body(), readsLabels, hp);
            Trained t = trained.get(key);
            if (t != null) {
                return t;
            }
            long runSeed = seed + 31L * round + gridPoint;
            ModelShape shape = hp == null ? null : shape(family, hp);
            RegionNetwork network = new RegionNetwork(manager, family, readsLabels, shape, inputs.classes(), runSeed);
            RegionFit.Outcome outcome = hp == null ? new RegionFit.Outcome(0, 0, 0, 0)
                    : RegionFit.fit(network, tensors, inputs, regions, split.fit(), split.validation(), hp, sampling, runSeed,
                    (epoch, accuracy) -> progress.checkCancelled());
            t = new Trained(network, outcome);
            trained.put(key, t);
            return t;
        }
    }

    private record Trained(RegionNetwork network, RegionFit.Outcome outcome) {
    }

    /** The body's shape for a family and grid point on these inputs. */
    public ModelShape shape(RegionFamily family, HyperParameters hp) {
        return shape(family, hp, inputs, graph.artistCount());
    }

    public static ModelShape shape(RegionFamily family, HyperParameters hp, RegionInputs inputs, int artists) {
        boolean readsLabels = family.readsLabels() && inputs.usesLabels();
        int width = RegionNetwork.bodyInputWidth(readsLabels, inputs.classes(), inputs.ownWidth());
        return new ModelShape(family.body(), width, inputs.usesArtists() ? artists : 0, hp.hiddenSize(), hp.heads(),
                inputs.classes(), hp.inputDropout(), hp.dropout());
    }
}

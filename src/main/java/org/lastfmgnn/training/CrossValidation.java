package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.progress.ProgressTracker;

/**
 * k-fold cross validation of region prediction with grid search inside each fold: the test fold gives no
 * label input and no loss; an inner validation split of the training folds picks the grid point and the
 * epoch; the baselines are measured on the same test users from the same training labels.
 */
public final class CrossValidation {
    /** The outcome of one fold. */
    public record Fold(int fold, double accuracy, double macroF1, HyperParameters selected, double validationAccuracy,
                       int bestEpoch, double millisPerEpoch, Map<String, Double> baselineAccuracy) {
    }

    /** Everything a run measured, with the out-of-fold prediction of every labelled user. */
    public record Result(List<Fold> folds, int[] predicted, float[] probabilities, int[] predictionFold,
                         Map<String, double[]> baselineAccuracies, Map<String, double[]> baselineMacroF1) {
        public double[] accuracies() {
            return folds.stream().mapToDouble(Fold::accuracy).toArray();
        }

        public double[] macroF1s() {
            return folds.stream().mapToDouble(Fold::macroF1).toArray();
        }
    }

    private final GraphSnapshot graph;
    private final RegionInputs inputs;
    private final Architecture architecture;
    private final List<HyperParameters> grid;
    private final int k;
    private final long seed;
    private final boolean mlpBaseline;
    private final ProgressTracker progress;
    private GraphTensors currentTensors;

    public CrossValidation(GraphSnapshot graph, RegionInputs inputs, Architecture architecture,
                           List<HyperParameters> grid, int k, long seed, boolean mlpBaseline, ProgressTracker progress) {
        this.graph = graph;
        this.inputs = inputs;
        this.architecture = architecture;
        this.grid = grid;
        this.k = k;
        this.seed = seed;
        this.mlpBaseline = mlpBaseline && architecture != Architecture.MLP;
        this.progress = progress;
    }

    public Result run(NDManager manager) {
        return run(manager, Folds.stratified(graph.regions(), k, seed));
    }

    /** Runs with the given fold of each user (-1: not labelled, never a target). */
    public Result run(NDManager manager, int[] foldOf) {
        int[] regions = graph.regions();
        int n = regions.length;
        int classes = graph.classCount();
        int[] predicted = new int[n];
        float[] probabilities = new float[n * classes];
        int[] predictionFold = new int[n];
        java.util.Arrays.fill(predicted, -1);
        java.util.Arrays.fill(predictionFold, -1);
        List<Fold> folds = new ArrayList<>();
        Map<String, double[]> baselineAccuracy = new LinkedHashMap<>();
        Map<String, double[]> baselineF1 = new LinkedHashMap<>();
        try (GraphTensors tensors = new GraphTensors(manager, graph, inputs.usesArtists())) {
            currentTensors = tensors;
            for (int f = 0; f < k; f++) {
                progress.stage("fold " + (f + 1) + "/" + k);
                Folds.Split split = Folds.split(foldOf, f, regions, seed);
                boolean[] trainMask = split.trainMask();
                int[] test = split.test();
                int[] validation = split.validation();
                int[] fit = split.fit();

                Selection chosen = select(manager, tensors, architecture, regions, fit, validation, f);
                float[] testProbabilities = predictor(chosen.model, chosen.hp).probabilities(regions, trainMask);
                chosen.model.close();
                int[] foldPrediction = argmax(testProbabilities, n, classes);
                for (int u : test) {
                    predicted[u] = foldPrediction[u];
                    predictionFold[u] = f;
                    System.arraycopy(testProbabilities, u * classes, probabilities, u * classes, classes);
                }
                Map<String, int[]> baselines = new LinkedHashMap<>();
                baselines.put("neighborMajority", Baselines.neighbourMajority(graph, regions, trainMask, classes));
                baselines.put("labelPropagation", Baselines.labelPropagation(graph, regions, trainMask, classes));
                int[] majority = new int[n];
                java.util.Arrays.fill(majority, Baselines.majorityClass(regions, trainMask, classes));
                baselines.put("majorityClass", majority);
                if (mlpBaseline) {
                    Selection mlp = select(manager, tensors, Architecture.MLP, regions, fit, validation, f);
                    baselines.put("mlp", argmax(predictor(mlp.model, mlp.hp).probabilities(regions, trainMask), n, classes));
                    mlp.model.close();
                }
                Map<String, Double> foldBaselines = new LinkedHashMap<>();
                for (var b : baselines.entrySet()) {
                    double acc = Metrics.accuracy(b.getValue(), regions, test);
                    foldBaselines.put(b.getKey(), acc);
                    baselineAccuracy.computeIfAbsent(b.getKey(), key -> new double[k])[f] = acc;
                    baselineF1.computeIfAbsent(b.getKey(), key -> new double[k])[f] =
                            Metrics.macroF1(b.getValue(), regions, test, classes);
                }
                Fold fold = new Fold(f, Metrics.accuracy(foldPrediction, regions, test),
                        Metrics.macroF1(foldPrediction, regions, test, classes), chosen.hp, chosen.outcome.validationAccuracy(),
                        chosen.outcome.bestEpoch(), chosen.outcome.millisPerEpoch(), foldBaselines);
                folds.add(fold);
                progress.stage(String.format(java.util.Locale.ROOT, "fold %d/%d: accuracy %.4f (validation %.4f, epoch %d, %.1f ms/epoch); baselines %s",
                        f + 1, k, fold.accuracy(), fold.validationAccuracy(), fold.bestEpoch(), fold.millisPerEpoch(), foldBaselines));
                progress.advance(1);
            }
        }
        return new Result(folds, predicted, probabilities, predictionFold, baselineAccuracy, baselineF1);
    }

    /** A trained model with its grid point and fit outcome; the caller closes the model. */
    record Selection(NodeClassifier model, HyperParameters hp, ClassifierFit.Outcome outcome) {
    }

    /** Trains every grid point on {@code fit}; keeps the one with the best validation accuracy. */
    Selection select(NDManager manager, GraphTensors tensors, Architecture arch, int[] regions, int[] fit,
                     int[] validation, int fold) {
        Selection best = null;
        for (int p = 0; p < grid.size(); p++) {
            HyperParameters hp = grid.get(p);
            NodeClassifier model = new NodeClassifier(manager, shape(arch, hp), seed + 31L * fold + p);
            ClassifierFit.Outcome fitted = ClassifierFit.fit(model, tensors, inputs, regions, fit, validation, hp,
                    seed + 31L * fold + p, (epoch, accuracy) -> progress.checkCancelled());
            // judge the grid point as it will predict: smoothing included, from the fitting users' labels
            float[] probabilities = new RegionPredictor(graph, inputs, tensors, model, hp.smoothing())
                    .probabilities(regions, ClassifierFit.mask(regions.length, fit));
            ClassifierFit.Outcome outcome = new ClassifierFit.Outcome(fitted.bestEpoch(),
                    Metrics.accuracy(argmax(probabilities, regions.length, graph.classCount()), regions, validation),
                    fitted.epochsRun(), fitted.millisPerEpoch());
            if (best == null || outcome.validationAccuracy() > best.outcome.validationAccuracy()) {
                if (best != null) {
                    best.model.close();
                }
                best = new Selection(model, hp, outcome);
            } else {
                model.close();
            }
        }
        return best;
    }

    private RegionPredictor predictor(NodeClassifier model, HyperParameters hp) {
        return new RegionPredictor(graph, inputs, currentTensors, model, hp.smoothing());
    }

    public ModelShape shape(Architecture arch, HyperParameters hp) {
        return new ModelShape(arch, inputs.denseWidth(), inputs.usesArtists() ? graph.artistCount() : 0,
                hp.hiddenSize(), hp.heads(), graph.classCount(), hp.dropout());
    }

    static int[] argmax(float[] probabilities, int n, int classes) {
        int[] out = new int[n];
        for (int u = 0; u < n; u++) {
            out[u] = Metrics.argmax(probabilities, u * classes, classes);
        }
        return out;
    }
}

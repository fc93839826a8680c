package org.lastfmgnn.training;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.model.ArtistRecommender;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.recommend.ArtistBaselines;
import org.lastfmgnn.recommend.ArtistSignals;
import org.lastfmgnn.recommend.Ranking;
import org.lastfmgnn.recommend.RankingReport;

/**
 * k-fold evaluation of artist recommendation: a held-out user's likes are hidden (they are the answer) and
 * ranked against what the model and each baseline ({@link ArtistBaselines}: popularity, regional popularity,
 * friends', friends of friends', item-kNN, and their blend tuned on the fold's validation users) predict from the
 * training folds. Each held-out user also gets its recommendations: the top k artists it does not already like.
 * The folds run side by side on the workers (each trains its own model from its own seeds in its own sub-manager
 * and reads the shared tensors only) and are gathered in fold order, so every figure is the same at any
 * concurrency.
 */
public final class ArtistCrossValidation {
    /** Everything a run measured, and the recommendations of every user with likes. */
    public record Result(RankingReport model, Map<String, RankingReport> baselines, double hammingModel,
                         double hammingAllZeros, int[][] recommended, float[][] recommendedScores, int[] selectedEpochs,
                         double millisPerEpoch, float[] embeddings, int embeddingSize, float[][] weights,
                         List<double[]> blendWeights) {
    }

    private final GraphSnapshot graph;
    private final ModelShape shape;
    private final HyperParameters hp;
    private final int k;
    private final long seed;
    private final int batchSize;
    private final int recommendations;
    private final ProgressTracker progress;
    private final Workers workers;

    /** @param workers the per-user and per-artist work (signals, rankings); results do not depend on it */
    public ArtistCrossValidation(GraphSnapshot graph, ModelShape shape, HyperParameters hp, int k, long seed,
                                 int batchSize, int recommendations, ProgressTracker progress, Workers workers) {
        this.graph = graph;
        this.shape = shape;
        this.hp = hp;
        this.k = k;
        this.seed = seed;
        this.batchSize = batchSize;
        this.recommendations = recommendations;
        this.progress = progress;
        this.workers = workers;
    }

    public Result run(NDManager manager) {
        int n = graph.userCount();
        int artists = graph.artistCount();
        int[] hasLikes = new int[n];
        for (int u = 0; u < n; u++) {
            hasLikes[u] = graph.likeOffsets()[u + 1] > graph.likeOffsets()[u] ? 0 : -1;
        }
        int[] foldOf = Folds.stratified(hasLikes, k, seed);
        RankingReport model = new RankingReport();
        Map<String, RankingReport> baselines = new LinkedHashMap<>();
        for (String name : ArtistBaselines.NAMES) {
            baselines.put(name, new RankingReport());
        }
        List<double[]> blendWeights = new java.util.ArrayList<>();
        int[][] recommended = new int[n][];
        float[][] recommendedScores = new float[n][];
        int[] selected = new int[k];
        long hammingCorrect = 0;
        long hammingOnes = 0;
        long cells = 0;
        double epochMillis = 0;
        Fold[] folds = new Fold[k];
        try (GraphTensors tensors = new GraphTensors(manager, graph, true)) {
            // the folds side by side on the workers (each fold's own per-user work then runs on its thread alone),
            // gathered below in fold order: the same sums at any concurrency
            workers.forEach(k, f -> folds[f] = fold(manager, tensors, foldOf, f));
        }
        for (int f = 0; f < k; f++) {
            Fold fold = folds[f];
            blendWeights.add(fold.blend());
            selected[f] = fold.bestEpoch();
            epochMillis += fold.millisPerEpoch() / k;
            for (int i = 0; i < fold.test().length; i++) {
                int u = fold.test()[i];
                recommended[u] = fold.recommended()[i];
                recommendedScores[u] = fold.recommendedScores()[i];
                for (int b = 0; b < ArtistBaselines.NAMES.size(); b++) {
                    baselines.get(ArtistBaselines.NAMES.get(b)).add(fold.baselineTop()[i][b], fold.liked()[i]);
                }
                hammingCorrect += fold.correct()[i];
                hammingOnes += fold.liked()[i].length;
                cells += artists;
            }
            model.addAll(fold.model());
        }
        return new Result(model, baselines, cells == 0 ? 0 : hammingCorrect / (double) cells,
                cells == 0 ? 0 : 1 - hammingOnes / (double) cells, recommended, recommendedScores, selected, epochMillis,
                folds[k - 1].embeddings(), shape.classes(), folds[k - 1].weights(), blendWeights);
    }

    /**
     * What one fold measured of its test users, in their order, and what its model chose; the last fold's model also
     * gives every user's taste embedding and the weights that explanations open (null in the other folds).
     */
    private record Fold(int[] test, int[][] liked, int[][][] baselineTop, long[] correct, int[][] recommended,
                        float[][] recommendedScores, RankingReport model, double[] blend, int bestEpoch,
                        double millisPerEpoch, float[] embeddings, float[][] weights) {
    }

    private Fold fold(NDManager manager, GraphTensors tensors, int[] foldOf, int f) {
        int n = graph.userCount();
        int artists = graph.artistCount();
        progress.stage("artists fold " + (f + 1) + "/" + k);
        Folds.Split split = Folds.split(foldOf, f, new int[n], seed);
        boolean[] train = split.trainMask();
        int[] test = split.test();
        float[] scores;
        // two visible sets per fold: the fitting users' (blend tuning, head-free training steps aside, the
        // validation users' inputs) and the training users' (the test users' inputs, model and baselines)
        ArtistSignals fitSignals = new ArtistSignals(graph, RegionFit.mask(n, split.fit()), workers);
        ArtistSignals signals = new ArtistSignals(graph, train, workers);
        // both item-kNN structures in one pass (the fitting users are training users), on the fold's thread (the
        // folds are what the workers spread; Workers runs a nested forEach inline),
        // before the per-user loops read them
        ArtistSignals.buildItemNeighbours(fitSignals, signals);
        // the blend's weights from the validation users, whose likes the fitting users' signals do not read
        double[] blend = ArtistBaselines.tuneBlend(graph, fitSignals, split.validation(), seed + f, workers);
        // the model's head, fitted on fitting users (never the validation or test users); the model starts
        // as that head (zero artist vectors) and keeps what validation prefers
        float[] head = ArtistHeadFit.fit(graph, split.fit(), seed + 31L * f, workers);
        ArtistFit.Outcome outcome;
        float[] embeddings = null;
        float[][] weights = null;
        try (NDManager foldManager = manager.newSubManager();
             ArtistRecommender recommender = new ArtistRecommender(foldManager, shape, artists, seed + 31L * f, head)) {
            outcome = ArtistFit.fit(recommender, tensors, graph, fitSignals, split.fit(),
                    split.validation(), hp, batchSize, seed + 31L * f, progress, workers);
            scores = ArtistFit.scores(recommender, tensors, graph, signals, test, workers);
            if (f == k - 1) {
                // the users' taste embeddings (friend recommendation): every user's likes visible
                boolean[] everyone = new boolean[n];
                java.util.Arrays.fill(everyone, true);
                embeddings = ArtistFit.embeddings(recommender, tensors, graph, everyone);
                weights = recommender.snapshot(); // the model that explanations will open
            }
        }
        // each test user's rankings, on the fold's thread as above
        float[] foldScores = scores;
        int[][] liked = new int[test.length][];
        int[][] modelTop = new int[test.length][];
        int[][][] baselineTop = new int[test.length][][];
        long[] correct = new long[test.length];
        int[][] recommendedRows = new int[test.length][];
        float[][] recommendedScoreRows = new float[test.length][];
        workers.forEach(test.length, i -> {
            int u = test[i];
            liked[i] = likes(u);
            modelTop[i] = Ranking.topK(foldScores, i * artists, artists, 20, new int[0]);
            baselineTop[i] = ArtistBaselines.scores(signals, u, blend).values().stream()
                    .map(b -> Ranking.topK(b, 0, artists, 20, new int[0])).toArray(int[][]::new);
            for (int a = 0; a < artists; a++) {
                boolean predictedLike = foldScores[i * artists + a] > 0; // logit > 0 <=> sigmoid > 0.5
                boolean likes = Arrays.binarySearch(liked[i], a) >= 0;
                correct[i] += predictedLike == likes ? 1 : 0;
            }
            recommendedRows[i] = Ranking.topK(foldScores, i * artists, artists, recommendations, liked[i]);
            recommendedScoreRows[i] = new float[recommendedRows[i].length];
            for (int r = 0; r < recommendedRows[i].length; r++) {
                recommendedScoreRows[i][r] = sigmoid(foldScores[i * artists + recommendedRows[i][r]]);
            }
        });
        RankingReport foldModel = new RankingReport();
        RankingReport foldBlend = new RankingReport();
        RankingReport foldKriging = new RankingReport();
        int blendIndex = ArtistBaselines.NAMES.indexOf("blend");
        int krigingIndex = ArtistBaselines.NAMES.indexOf("socialKriging");
        for (int i = 0; i < test.length; i++) {
            foldModel.add(modelTop[i], liked[i]);
            foldBlend.add(baselineTop[i][blendIndex], liked[i]);
            foldKriging.add(baselineTop[i][krigingIndex], liked[i]);
        }
        progress.stage(String.format(java.util.Locale.ROOT,
                "artists fold %d/%d: NDCG@20 %.4f, blend %.4f, kriging %.4f (best epoch %d)", f + 1, k,
                foldModel.ndcgAt20(), foldBlend.ndcgAt20(), foldKriging.ndcgAt20(), outcome.bestEpoch()));
        progress.advance(1);
        return new Fold(test, liked, baselineTop, correct, recommendedRows, recommendedScoreRows, foldModel, blend,
                outcome.bestEpoch(), outcome.millisPerEpoch(), embeddings, weights);
    }

    private int[] likes(int u) {
        int[] liked = Arrays.copyOfRange(graph.likes(), graph.likeOffsets()[u], graph.likeOffsets()[u + 1]);
        Arrays.sort(liked);
        return liked;
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** The encoder for a grid point: dense degree features plus the sparse likes, embedding of the last width. */
    public static ModelShape shape(org.lastfmgnn.model.Architecture architecture, HyperParameters hp, int artists) {
        int[] hidden = hp.hiddenSize();
        int[] inner = Arrays.copyOf(hidden, hidden.length - 1);
        return new ModelShape(architecture, ArtistFit.DENSE_WIDTH, artists, inner, hp.heads(), hidden[hidden.length - 1],
                hp.inputDropout(), hp.dropout());
    }

    static List<String> metricNames() {
        return List.of("ndcgAt20", "recallAt20", "precisionAt20", "ndcgAt10", "recallAt10", "precisionAt10");
    }
}

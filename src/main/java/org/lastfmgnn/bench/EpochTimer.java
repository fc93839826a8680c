package org.lastfmgnn.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.training.ClassifierFit;
import org.lastfmgnn.training.Folds;
import org.lastfmgnn.training.HyperParameters;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.TrainConfig;

/**
 * The time of one region training epoch on the full graph, as {@code lastfm.gnn.train} runs it with its default
 * hyperparameters: rebuild the label-trick inputs, forward, backward, one Adam step. The validation pass that a
 * training run adds after each epoch is not part of it. Median over {@code measured} epochs after {@code warmUp}.
 */
public final class EpochTimer {
    private EpochTimer() {
    }

    /** @param withArtists read the likes as sparse first-layer inputs, as {@code inputs: [..., 'artists']} does */
    public static double medianEpochMillis(GraphSnapshot graph, Architecture architecture, boolean withArtists,
                                           int warmUp, int measured, long seed) {
        Set<String> kinds = new LinkedHashSet<>(List.of("labels", "structure"));
        if (withArtists) {
            kinds.add("artists");
        }
        RegionInputs inputs = new RegionInputs(graph, kinds, graph.classCount());
        HyperParameters hp = TrainConfig.defaults(architecture, TrainConfig.REGION);
        ModelShape shape = new ModelShape(architecture, inputs.denseWidth(), withArtists ? graph.artistCount() : 0,
                hp.hiddenSize(), hp.heads(), graph.classCount(), hp.dropout());
        int[] regions = graph.regions();
        int[] fit = Folds.members(labelled(regions));
        Engines.pytorch().setRandomSeed((int) seed);
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, graph, withArtists);
             NodeClassifier model = new NodeClassifier(manager, shape, seed)) {
            Optimizer adam = ClassifierFit.optimizer(hp);
            Random random = new Random(seed);
            boolean[] fitMask = labelled(regions);
            double[] millis = new double[measured];
            for (int epoch = -warmUp; epoch < measured; epoch++) {
                long start = System.nanoTime();
                ClassifierFit.trainEpoch(model, tensors, inputs, regions, fitMask, fit, random, adam);
                if (epoch >= 0) {
                    millis[epoch] = (System.nanoTime() - start) / 1e6;
                }
            }
            return median(millis);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static boolean[] labelled(int[] regions) {
        boolean[] mask = new boolean[regions.length];
        for (int u = 0; u < regions.length; u++) {
            mask[u] = regions[u] >= 0;
        }
        return mask;
    }
}

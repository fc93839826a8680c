package org.lastfmgnn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.training.CrossValidation;
import org.lastfmgnn.training.Folds;
import org.lastfmgnn.training.HyperParameters;
import org.lastfmgnn.training.RegionFit;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.Sampling;
import org.lastfmgnn.training.TrainConfig;

/**
 * The time of one region training epoch on the full graph, as {@code lastfm.gnn.train} runs it with its default
 * hyperparameters: the label-trick inputs, forward (label signals included), backward, one Adam step. The
 * validation pass that a training run adds after each epoch is not part of it. Median over {@code measured}
 * epochs after {@code warmUp}.
 */
public final class EpochTimer {
    private EpochTimer() {
    }

    /** @param withArtists read the likes as sparse first-layer inputs, as {@code inputs: [..., 'artists']} does */
    public static double medianEpochMillis(GraphSnapshot graph, Device device, RegionFamily family, boolean withArtists,
                                           int warmUp, int measured, long seed) {
        int[] fit = Folds.members(labelled(graph.regions()));
        return medianMillis(graph, device, family, withArtists, fit, Sampling.FULL_BATCH, warmUp, measured, seed);
    }

    /**
     * The time of one mini-batch step as {@code lastfm.gnn.train} takes it with {@code sampling}: each measured call
     * is an epoch whose fitting users are {@code 2 x batchSize} labelled users drawn with {@code seed}, so that it
     * is one step (the whole graph's label signals for the epoch, one sampled subgraph built with its likes, forward,
     * backward, Adam). The whole graph's tensors, likes included, are built as a training builds them for its
     * validation passes. Median over {@code measured} steps after {@code warmUp}.
     */
    public static double medianStepMillis(GraphSnapshot graph, Device device, RegionFamily family, boolean withArtists,
                                          Sampling sampling, int warmUp, int measured, long seed) {
        int[] labelled = Folds.members(labelled(graph.regions()));
        Folds.shuffle(labelled, new Random(seed));
        int[] fit = Arrays.copyOf(labelled, Math.min(labelled.length, 2 * sampling.batchSize()));
        return medianMillis(graph, device, family, withArtists, fit, sampling, warmUp, measured, seed);
    }

    /** Median time of {@link RegionFit#trainEpoch} over {@code fit} with the family's defaults. */
    private static double medianMillis(GraphSnapshot graph, Device device, RegionFamily family, boolean withArtists,
                                       int[] fit, Sampling sampling, int warmUp, int measured, long seed) {
        Set<String> kinds = new LinkedHashSet<>(List.of("labels", "structure"));
        if (withArtists) {
            kinds.add("artists");
        }
        RegionInputs inputs = new RegionInputs(graph, kinds, graph.classCount());
        HyperParameters hp = TrainConfig.defaults(family);
        ModelShape shape = CrossValidation.shape(family, hp, inputs, graph.artistCount());
        int[] regions = graph.regions();
        boolean[] fitMask = new boolean[regions.length];
        for (int u : fit) {
            fitMask[u] = true;
        }
        try (NDManager manager = Engines.newManager(device);
             GraphTensors tensors = new GraphTensors(manager, graph, withArtists);
             RegionNetwork model = new RegionNetwork(manager, family, family.readsLabels(), shape, graph.classCount(), seed)) {
            Optimizer adam = RegionFit.optimizer(hp);
            Random random = new Random(seed);
            double[] millis = new double[measured];
            for (int epoch = -warmUp; epoch < measured; epoch++) {
                long start = System.nanoTime();
                if (sampling.fullBatch()) {
                    RegionFit.trainEpoch(model, tensors, inputs, regions, fitMask, fit, random, adam);
                } else {
                    RegionFit.trainEpoch(model, tensors, inputs, regions, fitMask, fit, random, adam, sampling);
                }
                Engines.awaitDevice(model.parameters().get(0).array());
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

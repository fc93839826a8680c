package org.lastfmgnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.model.CorrectAndSmooth;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.RegionInput;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.Refinement;

/**
 * Every refinement of a plan judged on the same users from one base prediction, computing what the candidates
 * share once: one correct step per step count for all its alphas together, one smooth step per corrected base
 * for all its alphas together. Gives what {@link RegionNetwork#refine} gives for each candidate on its own.
 */
final class Refinements {
    private Refinements() {
    }

    /** Accuracy on {@code users} of each refinement, in order. */
    static double[] accuracies(GraphTensors tensors, NDArray base, RegionInput input, List<Refinement> candidates,
                               int[] regions, int[] users) {
        int classes = (int) base.getShape().get(1);
        double[] out = new double[candidates.size()];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Map<Integer, List<Refinement>> bySteps = new LinkedHashMap<>();
            for (Refinement r : candidates) {
                bySteps.computeIfAbsent(r.steps(), k -> new ArrayList<>()).add(r);
            }
            Map<Refinement, NDArray> results = new HashMap<>();
            for (var group : bySteps.entrySet()) {
                int steps = group.getKey();
                Map<Double, NDArray> corrected = new HashMap<>();
                corrected.put(0.0, base);
                double[] corrections = group.getValue().stream().mapToDouble(Refinement::correction).filter(a -> a > 0)
                        .distinct().toArray();
                if (corrections.length > 0) {
                    NDArray[] c = CorrectAndSmooth.correct(tensors, base, input.labels(), input.known(), corrections, steps);
                    for (int j = 0; j < corrections.length; j++) {
                        corrected.put(corrections[j], c[j]);
                    }
                }
                for (var entry : corrected.entrySet()) {
                    double a1 = entry.getKey();
                    double[] smoothings = group.getValue().stream().filter(r -> r.correction() == a1)
                            .mapToDouble(Refinement::smoothing).filter(a -> a > 0).distinct().toArray();
                    Map<Double, NDArray> smoothed = new HashMap<>();
                    if (smoothings.length > 0) {
                        NDArray[] s = CorrectAndSmooth.smooth(tensors, entry.getValue(), input.labels(), input.known(),
                                smoothings, steps);
                        for (int j = 0; j < smoothings.length; j++) {
                            smoothed.put(smoothings[j], s[j]);
                        }
                    }
                    for (Refinement r : group.getValue()) {
                        if (r.correction() == a1) {
                            NDArray p = r.smoothing() > 0 ? smoothed.get(r.smoothing()) : entry.getValue();
                            results.put(r, r.isNone() ? p : RegionNetwork.normalise(p));
                        }
                    }
                }
            }
            for (int i = 0; i < out.length; i++) {
                float[] p = results.get(candidates.get(i)).toFloatArray();
                out[i] = Metrics.accuracy(RegionFit.argmax(p, classes), regions, users);
            }
        }
        return out;
    }
}

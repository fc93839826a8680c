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
 * share once: per step count, one correct run for all its alphas together, then one smooth run for every corrected
 * base and all its alphas together. Gives what {@link RegionNetwork#refine} gives for each candidate on its own,
 * to the bit.
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
                // every corrected base's smoothings in one block: one sparse product per step for all of them
                List<Double> bases = new ArrayList<>();
                List<double[]> smoothings = new ArrayList<>();
                for (double a1 : corrected.keySet()) {
                    double[] alphas = group.getValue().stream().filter(r -> r.correction() == a1)
                            .mapToDouble(Refinement::smoothing).filter(a -> a > 0).distinct().toArray();
                    if (alphas.length > 0) {
                        bases.add(a1);
                        smoothings.add(alphas);
                    }
                }
                Map<List<Double>, NDArray> smoothed = new HashMap<>();
                if (!bases.isEmpty()) {
                    NDArray[][] s = CorrectAndSmooth.smooth(tensors,
                            bases.stream().map(corrected::get).toArray(NDArray[]::new), input.labels(), input.known(),
                            smoothings.toArray(double[][]::new), steps);
                    for (int i = 0; i < bases.size(); i++) {
                        for (int j = 0; j < smoothings.get(i).length; j++) {
                            smoothed.put(List.of(bases.get(i), smoothings.get(i)[j]), s[i][j]);
                        }
                    }
                }
                for (Refinement r : group.getValue()) {
                    NDArray p = r.smoothing() > 0 ? smoothed.get(List.of(r.correction(), r.smoothing()))
                            : corrected.get(r.correction());
                    results.put(r, r.isNone() ? p : RegionNetwork.normalise(p));
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

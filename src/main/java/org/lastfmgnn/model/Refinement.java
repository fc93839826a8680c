package org.lastfmgnn.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The post-processing of a region model's predictions: Correct and Smooth's two steps, each off at alpha 0.
 *
 * @param correction alpha of the correct step (residual propagation, autoscaled); 0: off
 * @param smoothing  alpha of the smooth step (label propagation from the corrected predictions); 0: off
 * @param steps      propagation steps of each
 */
public record Refinement(double correction, double smoothing, int steps) {
    public static final Refinement NONE = new Refinement(0, 0, 0);

    public boolean isNone() {
        return correction == 0 && smoothing == 0;
    }

    /** Propagation hops the refinement adds to a prediction's receptive field. */
    public int hops() {
        return (correction > 0 ? steps : 0) + (smoothing > 0 ? steps : 0);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("correction", correction);
        m.put("smoothing", smoothing);
        m.put("propagationSteps", steps);
        return m;
    }
}

package org.lastfmgnn.catalog;

import java.util.List;
import java.util.Map;

/**
 * A trained model as saved on disk: how to rebuild it ({@code architecture} ... {@code dropout}), how it
 * predicts ({@code inputs}, {@code smoothing}), and what it scored.
 */
public record StoredModel(
        String name,
        String task,
        String architecture,
        int denseInputs,
        int sparseInputs,
        int[] hidden,
        int heads,
        int classes,
        double dropout,
        List<String> inputs,
        double smoothing,
        Map<String, Object> config,
        Map<String, Object> metrics,
        String featureSource,
        String trainedAt) {
}

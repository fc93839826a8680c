package org.lastfmgnn.service;

import java.util.List;
import java.util.Map;

/** What {@code lastfm.gnn.train} yields; metrics are over the held-out users of each fold. */
public record TrainResult(
        String modelName,
        String task,
        String model,
        long folds,
        double accuracyMean,
        double accuracyStd,
        double macroF1Mean,
        List<Double> foldAccuracies,
        Map<String, Object> baselines,
        Map<String, Object> bestConfig,
        List<String> inputs,
        String featureSource,
        long users,
        long labelledUsers,
        long nodePropertiesWritten,
        long exportMillis,
        long trainMillis,
        long writeMillis,
        double epochMillis) {
}

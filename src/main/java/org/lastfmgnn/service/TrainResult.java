package org.lastfmgnn.service;

import java.util.List;
import java.util.Map;

/**
 * What {@code lastfm.gnn.train} yields; metrics are over the held-out users of each fold (or split). {@code model}
 * is the family trained (the one chosen, for {@code model: 'auto'}); {@code modelSaved} is false for
 * {@code write: false} runs, which persist nothing. The accuracy columns
 * are the region task's (null for artists); {@code metrics} holds every metric of the task.
 */
public record TrainResult(
        String modelName,
        String task,
        String model,
        long folds,
        Double accuracyMean,
        Double accuracyStd,
        Double macroF1Mean,
        List<Double> foldAccuracies,
        Map<String, Object> metrics,
        Map<String, Object> baselines,
        Map<String, Object> bestConfig,
        List<String> inputs,
        String featureSource,
        long users,
        long labelledUsers,
        long nodePropertiesWritten,
        long relationshipsWritten,
        boolean modelSaved,
        long exportMillis,
        long trainMillis,
        long writeMillis,
        double epochMillis) {
}

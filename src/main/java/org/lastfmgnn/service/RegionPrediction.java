package org.lastfmgnn.service;

import java.util.List;

/** One user's predicted region, as {@code lastfm.gnn.predict} streams it. */
public record RegionPrediction(long userId, long predictedRegion, double probability, List<Double> regionProbabilities,
                               String modelName) {
}

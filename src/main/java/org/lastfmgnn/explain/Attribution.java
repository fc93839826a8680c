package org.lastfmgnn.explain;

/**
 * An explainer's scores for one prediction: higher means more important for it.
 *
 * @param edges    one score per candidate edge
 * @param features one score per feature of {@link ExplainedPrediction#featureNames()} (empty when the method scores none)
 * @param artists  one score per artist of {@link ExplainedPrediction#artists()}, or null
 */
public record Attribution(float[] edges, float[] features, float[] artists) {
}

package org.lastfmgnn.recommend;

import org.lastfmgnn.graph.GraphSnapshot;

/**
 * Scores a possible friendship u-v from what the models learned and the graph shows: the cosine of the users'
 * taste embeddings, whether they are (or are predicted to be) in the same region, and their mutual friends.
 */
public final class FriendScorer {
    static final double REGION_WEIGHT = 0.5;
    static final double MUTUAL_WEIGHT = 1.0;

    private final GraphSnapshot graph;
    private final float[] embeddings;
    private final int width;
    private final int[] region;
    private final float[] norms;

    /**
     * @param embeddings [N x width] row-major, or null when no taste model was trained
     * @param region     known or predicted region per user (-1: unknown)
     */
    public FriendScorer(GraphSnapshot graph, float[] embeddings, int width, int[] region) {
        this.graph = graph;
        this.embeddings = embeddings;
        this.width = width;
        this.region = region;
        this.norms = new float[graph.userCount()];
        if (embeddings != null) {
            for (int u = 0; u < norms.length; u++) {
                double s = 0;
                for (int d = 0; d < width; d++) {
                    s += embeddings[u * width + d] * embeddings[u * width + d];
                }
                norms[u] = (float) Math.sqrt(s);
            }
        }
    }

    public double score(int u, int v) {
        return score(cosine(u, v), sameRegion(u, v), mutualFriends(u, v));
    }

    /** The score from its parts, for callers that already counted the mutual friends. */
    public static double score(double cosine, boolean sameRegion, double mutualFriends) {
        return cosine + (sameRegion ? REGION_WEIGHT : 0) + MUTUAL_WEIGHT * Math.log1p(mutualFriends);
    }

    public double cosine(int u, int v) {
        if (embeddings == null || norms[u] == 0 || norms[v] == 0) {
            return 0;
        }
        double dot = 0;
        for (int d = 0; d < width; d++) {
            dot += embeddings[u * width + d] * embeddings[v * width + d];
        }
        return dot / (norms[u] * norms[v]);
    }

    public boolean sameRegion(int u, int v) {
        return region[u] >= 0 && region[u] == region[v];
    }

    public int mutualFriends(int u, int v) {
        int[] count = new int[1];
        forCommonFriends(graph, u, v, w -> count[0]++);
        return count[0];
    }

    /** Adamic-Adar: the sum over common friends w of 1 / log(degree(w)), the classic link-prediction score. */
    public static double adamicAdar(GraphSnapshot g, int u, int v) {
        double[] score = new double[1];
        forCommonFriends(g, u, v, w -> score[0] += 1 / Math.log(g.degree(w)));
        return score[0];
    }

    /** Walks both sorted friend lists once, calling {@code common} for each friend they share. */
    private static void forCommonFriends(GraphSnapshot g, int u, int v, java.util.function.IntConsumer common) {
        int[] f = g.friends();
        int i = g.friendOffsets()[u];
        int j = g.friendOffsets()[v];
        while (i < g.friendOffsets()[u + 1] && j < g.friendOffsets()[v + 1]) {
            if (f[i] == f[j]) {
                common.accept(f[i]);
                i++;
                j++;
            } else if (f[i] < f[j]) {
                i++;
            } else {
                j++;
            }
        }
    }

    public boolean areFriends(int u, int v) {
        return java.util.Arrays.binarySearch(graph.friends(), graph.friendOffsets()[u], graph.friendOffsets()[u + 1], v) >= 0;
    }
}

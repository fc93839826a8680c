package org.lastfmgnn.recommend;

import java.util.Arrays;

/** Ranking metrics for one user: precision, recall and NDCG at k, with binary relevance. */
public final class Ranking {
    private Ranking() {
    }

    /**
     * The {@code k} highest-scoring items, best first, skipping {@code excluded} (sorted ascending, may be empty).
     * Ties go to the lower item index, so rankings are deterministic.
     */
    public static int[] topK(float[] scores, int offset, int items, int k, int[] excluded) {
        int[] best = new int[Math.min(k, items)];
        float[] bestScore = new float[best.length];
        int size = 0;
        for (int i = 0; i < items; i++) {
            if (excluded.length > 0 && Arrays.binarySearch(excluded, i) >= 0) {
                continue;
            }
            float s = scores[offset + i];
            if (size < best.length) {
                size++;
            } else if (s <= bestScore[size - 1]) {
                continue;
            }
            int j = size - 1;
            while (j > 0 && bestScore[j - 1] < s) {
                best[j] = best[j - 1];
                bestScore[j] = bestScore[j - 1];
                j--;
            }
            best[j] = i;
            bestScore[j] = s;
        }
        return Arrays.copyOf(best, size);
    }

    /** Share of the top k that are relevant. {@code relevant} is sorted ascending. */
    public static double precision(int[] ranked, int[] relevant, int k) {
        return hits(ranked, relevant, k) / (double) k;
    }

    public static double recall(int[] ranked, int[] relevant, int k) {
        return relevant.length == 0 ? 0 : hits(ranked, relevant, k) / (double) relevant.length;
    }

    public static double ndcg(int[] ranked, int[] relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.length); i++) {
            if (Arrays.binarySearch(relevant, ranked[i]) >= 0) {
                dcg += 1 / log2(i + 2);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.length); i++) {
            ideal += 1 / log2(i + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    private static int hits(int[] ranked, int[] relevant, int k) {
        int hits = 0;
        for (int i = 0; i < Math.min(k, ranked.length); i++) {
            if (Arrays.binarySearch(relevant, ranked[i]) >= 0) {
                hits++;
            }
        }
        return hits;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}

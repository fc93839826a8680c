package org.lastfmgnn.training;

import org.lastfmgnn.graph.GraphSnapshot;

/**
 * The rule baselines every model is measured against, on the same rounds: no learning, no tuning. Each predicts
 * from the labels of {@code isInput} users only. (Label propagation and Correct and Smooth are tuned models of
 * their own: {@link org.lastfmgnn.model.RegionFamily}.)
 */
public final class Baselines {
    private Baselines() {
    }

    /** The most common class among the input users. */
    public static int majorityClass(int[] labels, boolean[] isInput, int classes) {
        int[] count = new int[classes];
        for (int u = 0; u < labels.length; u++) {
            if (isInput[u] && labels[u] >= 0) {
                count[labels[u]]++;
            }
        }
        return argmax(count);
    }

    /**
     * Each user takes the most common label among its input friends; without any, among its friends' friends;
     * without those, the global majority. Ties go to the smaller class id.
     */
    public static int[] neighbourMajority(GraphSnapshot g, int[] labels, boolean[] isInput, int classes) {
        int n = g.userCount();
        int majority = majorityClass(labels, isInput, classes);
        int[] offsets = g.friendOffsets();
        int[] friends = g.friends();
        int[] predicted = new int[n];
        for (int u = 0; u < n; u++) {
            int[] count = new int[classes];
            boolean any = false;
            for (int e = offsets[u]; e < offsets[u + 1]; e++) {
                int v = friends[e];
                if (isInput[v] && labels[v] >= 0) {
                    count[labels[v]]++;
                    any = true;
                }
            }
            if (!any) {
                for (int e = offsets[u]; e < offsets[u + 1]; e++) {
                    int v = friends[e];
                    for (int f = offsets[v]; f < offsets[v + 1]; f++) {
                        int w = friends[f];
                        if (w != u && isInput[w] && labels[w] >= 0) {
                            count[labels[w]]++;
                            any = true;
                        }
                    }
                }
            }
            predicted[u] = any ? argmax(count) : majority;
        }
        return predicted;
    }

    private static int argmax(int[] count) {
        int best = 0;
        for (int c = 1; c < count.length; c++) {
            if (count[c] > count[best]) {
                best = c;
            }
        }
        return best;
    }
}

package org.lastfmgnn.bench;

import org.lastfmgnn.graph.GraphSnapshot;

/**
 * The neighbourhood label features our models read, for a peer that reads node properties: from the training
 * labels of one fold only, per user the label distribution of its labelled friends and the share of friends that
 * have one, and the same over friends of friends (paths back to the user itself left out: a training user must
 * not read its own label, which a test user cannot). [N x 2(C + 1)] row-major.
 */
final class NeighbourLabelFeatures {
    private NeighbourLabelFeatures() {
    }

    static float[][] of(GraphSnapshot g, int[] labels, boolean[] isInput, int classes) {
        int n = g.userCount();
        int[] offsets = g.friendOffsets();
        int[] friends = g.friends();
        float[][] out = new float[n][2 * (classes + 1)];
        for (int u = 0; u < n; u++) {
            float[] row = out[u];
            int labelled = 0;
            int reached = 0;
            for (int e = offsets[u]; e < offsets[u + 1]; e++) {
                int v = friends[e];
                if (isInput[v] && labels[v] >= 0) {
                    row[labels[v]]++;
                    labelled++;
                }
                for (int f = offsets[v]; f < offsets[v + 1]; f++) {
                    int w = friends[f];
                    if (w != u && isInput[w] && labels[w] >= 0) {
                        row[classes + 1 + labels[w]]++;
                        reached++;
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                row[c] = labelled == 0 ? 0 : row[c] / labelled;
                row[classes + 1 + c] = reached == 0 ? 0 : row[classes + 1 + c] / reached;
            }
            int degree = offsets[u + 1] - offsets[u];
            row[classes] = degree == 0 ? 0 : labelled / (float) degree;
            row[2 * classes + 1] = reached == 0 ? 0 : 1; // whether any friend of a friend is labelled
        }
        return out;
    }
}

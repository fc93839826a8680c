package org.lastfmgnn.recommend;

import org.lastfmgnn.graph.GraphSnapshot;

/** The artist rankings a model must beat, from the likes of the visible users only. */
public final class ArtistBaselines {
    private ArtistBaselines() {
    }

    /** Likes per artist among the visible users. */
    public static float[] popularity(GraphSnapshot g, boolean[] visible) {
        float[] count = new float[g.artistCount()];
        for (int u = 0; u < g.userCount(); u++) {
            if (visible[u]) {
                for (int k = g.likeOffsets()[u]; k < g.likeOffsets()[u + 1]; k++) {
                    count[g.likes()[k]]++;
                }
            }
        }
        return count;
    }

    /** How many of the user's visible friends like each artist, popularity breaking ties. */
    public static float[] friends(GraphSnapshot g, int user, boolean[] visible, float[] popularity) {
        float max = 1;
        for (float p : popularity) {
            max = Math.max(max, p);
        }
        float[] scores = new float[g.artistCount()];
        for (int a = 0; a < scores.length; a++) {
            scores[a] = popularity[a] / (max + 1); // < 1: only breaks ties between equal friend counts
        }
        for (int e = g.friendOffsets()[user]; e < g.friendOffsets()[user + 1]; e++) {
            int v = g.friends()[e];
            if (visible[v]) {
                for (int k = g.likeOffsets()[v]; k < g.likeOffsets()[v + 1]; k++) {
                    scores[g.likes()[k]] += 1;
                }
            }
        }
        return scores;
    }
}

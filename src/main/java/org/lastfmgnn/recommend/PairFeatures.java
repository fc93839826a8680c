package org.lastfmgnn.recommend;

import java.util.List;
import org.lastfmgnn.graph.GraphSnapshot;

/**
 * What the graph says about a possible friendship u-v, from the friendships of {@code graph} only (for an
 * evaluation: the graph without the hidden friendships): common neighbours, Adamic-Adar (sum of 1 / log degree of
 * the common friends), resource allocation (sum of 1 / degree), Jaccard, both degrees (log), and whether both
 * regions are known and equal. [pairs x {@link #NAMES}] row-major.
 */
public final class PairFeatures {
    public static final List<String> NAMES = List.of("logCommonNeighbours", "adamicAdar", "resourceAllocation", "jaccard",
            "logDegreeSum", "logDegreeProduct", "sameRegion");

    private PairFeatures() {
    }

    public static float[] of(GraphSnapshot graph, int[] u, int[] v) {
        int width = NAMES.size();
        float[] out = new float[u.length * width];
        for (int i = 0; i < u.length; i++) {
            double[] c = common(graph, u[i], v[i]);
            int du = graph.degree(u[i]);
            int dv = graph.degree(v[i]);
            int union = du + dv - (int) c[0];
            int row = i * width;
            out[row] = (float) Math.log1p(c[0]);
            out[row + 1] = (float) c[1];
            out[row + 2] = (float) c[2];
            out[row + 3] = union == 0 ? 0 : (float) (c[0] / union);
            out[row + 4] = (float) Math.log1p(du + dv);
            out[row + 5] = (float) (Math.log1p(du) * Math.log1p(dv));
            int ru = graph.regions()[u[i]];
            out[row + 6] = ru >= 0 && ru == graph.regions()[v[i]] ? 1 : 0;
        }
        return out;
    }

    /** Common neighbours, Adamic-Adar and resource allocation of one pair: one walk of both sorted friend lists. */
    public static double[] common(GraphSnapshot g, int u, int v) {
        int[] f = g.friends();
        int i = g.friendOffsets()[u];
        int j = g.friendOffsets()[v];
        double count = 0;
        double adamicAdar = 0;
        double resource = 0;
        while (i < g.friendOffsets()[u + 1] && j < g.friendOffsets()[v + 1]) {
            if (f[i] == f[j]) {
                int degree = g.degree(f[i]);
                count++;
                adamicAdar += degree > 1 ? 1 / Math.log(degree) : 0;
                resource += 1.0 / degree;
                i++;
                j++;
            } else if (f[i] < f[j]) {
                i++;
            } else {
                j++;
            }
        }
        return new double[] {count, adamicAdar, resource};
    }
}

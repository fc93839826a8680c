package org.lastfmgnn.training;

import java.util.List;
import java.util.Set;
import org.lastfmgnn.graph.GraphSnapshot;

/**
 * The dense input features for region prediction, rebuilt whenever the set of users whose labels are inputs
 * changes (each training step, evaluation, prediction):
 * <ul>
 *   <li>{@code labels}: the user's own label if it is an input (one-hot plus a flag), and the label
 *       distributions of its 1-hop and 2-hop neighbourhoods among input users (with the share that carried one);</li>
 *   <li>{@code structure}: log degree and 1/sqrt(degree + 1).</li>
 * </ul>
 * {@code artists} are not dense: they enter the first layer as a sparse matrix (see GraphTensors).
 */
public final class RegionInputs {
    public static final List<String> KINDS = List.of("labels", "structure", "artists");

    private final GraphSnapshot graph;
    private final boolean labels;
    private final boolean structure;
    private final boolean artists;
    private final int classes;

    public RegionInputs(GraphSnapshot graph, Set<String> kinds, int classes) {
        this.graph = graph;
        this.labels = kinds.contains("labels");
        this.structure = kinds.contains("structure");
        this.artists = kinds.contains("artists");
        this.classes = classes;
    }

    public boolean usesArtists() {
        return artists;
    }

    public boolean usesLabels() {
        return labels;
    }

    public int denseWidth() {
        int width = (labels ? 3 * (classes + 1) : 0) + (structure ? 2 : 0);
        return Math.max(width, 1); // artists alone: a constant column keeps the dense path well-formed
    }

    /** A name per dense column, for explanations. */
    public java.util.List<String> featureNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        if (labels) {
            for (String block : new String[] {"ownRegion", "friendsRegion", "friendsOfFriendsRegion"}) {
                for (int c = 0; c < classes; c++) {
                    names.add(block + "=" + c);
                }
                names.add(block.equals("ownRegion") ? "ownRegionKnown" : block + "KnownShare");
            }
        }
        if (structure) {
            names.add("logDegree");
            names.add("inverseSqrtDegree");
        }
        if (names.isEmpty()) {
            names.add("constant");
        }
        return names;
    }

    /** [N x denseWidth] row-major, from the labels of {@code isInput} users only. */
    public float[] dense(int[] regions, boolean[] isInput) {
        int n = graph.userCount();
        int width = denseWidth();
        float[] x = new float[n * width];
        int column = 0;
        if (labels) {
            float[] own = LabelSignals.oneHot(regions, isInput, classes);
            float[] known1 = new float[n];
            float[] hop1 = LabelSignals.neighbourDistribution(graph, own, classes, known1);
            float[] known2 = new float[n];
            float[] hop2 = LabelSignals.neighbourDistribution(graph, hop1, classes, known2);
            for (int u = 0; u < n; u++) {
                int row = u * width;
                System.arraycopy(own, u * classes, x, row, classes);
                x[row + classes] = isInput[u] && regions[u] >= 0 ? 1 : 0;
                System.arraycopy(hop1, u * classes, x, row + classes + 1, classes);
                x[row + 2 * classes + 1] = known1[u];
                System.arraycopy(hop2, u * classes, x, row + 2 * classes + 2, classes);
                x[row + 3 * classes + 2] = known2[u];
            }
            column = 3 * (classes + 1);
        }
        if (structure) {
            for (int u = 0; u < n; u++) {
                int degree = graph.degree(u);
                x[u * width + column] = (float) (Math.log1p(degree) / Math.log1p(256));
                x[u * width + column + 1] = (float) (1 / Math.sqrt(degree + 1.0));
            }
            column += 2;
        }
        if (column == 0) {
            for (int u = 0; u < n; u++) {
                x[u * width] = 1;
            }
        }
        return x;
    }
}

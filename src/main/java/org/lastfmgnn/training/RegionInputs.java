package org.lastfmgnn.training;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lastfmgnn.graph.ComputationSubgraph;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.RegionInput;
import org.lastfmgnn.model.Tensors;

/**
 * The inputs of region prediction, by kind:
 * <ul>
 *   <li>{@code labels}: the regions of the users whose label is an input; the models that read them turn them
 *       into neighbourhood signals inside their forward pass ({@link org.lastfmgnn.model.LabelHops});</li>
 *   <li>{@code structure}: the user's own log degree and 1/sqrt(degree + 1);</li>
 *   <li>{@code artists}: the user x artist likes, a sparse matrix read by the first layer (never dense).</li>
 * </ul>
 * The labels are rebuilt whenever the set of input users changes (each training step, validation, test,
 * prediction); the own inputs are fixed.
 */
public final class RegionInputs {
    public static final List<String> KINDS = List.of("labels", "structure", "artists");
    /** A fixed scale for log degree, so that a saved model reads the same feature on any graph. */
    private static final double LOG_DEGREE_SCALE = Math.log1p(256);

    private final GraphSnapshot graph;
    private final boolean labels;
    private final boolean structure;
    private final boolean artists;
    private final int classes;
    private final int[] degrees;
    /** The own dense inputs, computed once: every epoch's inputs read them unchanged. */
    private final float[] own;

    public RegionInputs(GraphSnapshot graph, Set<String> kinds, int classes) {
        this(graph, kinds, classes, null);
    }

    /**
     * @param degrees each user's degree in the whole graph when {@code graph} is a part of it (a computation
     *                subgraph), so that the structure inputs are the whole graph's; null: {@code graph}'s own
     */
    public RegionInputs(GraphSnapshot graph, Set<String> kinds, int classes, int[] degrees) {
        this.graph = graph;
        this.degrees = degrees;
        this.labels = kinds.contains("labels");
        this.structure = kinds.contains("structure");
        this.artists = kinds.contains("artists");
        this.classes = classes;
        this.own = ownInputs();
    }

    public boolean usesArtists() {
        return artists;
    }

    /** Whether a model that can read label signals is given them. */
    public boolean usesLabels() {
        return labels;
    }

    public int classes() {
        return classes;
    }

    /** Width of the own dense inputs. */
    public int ownWidth() {
        return structure ? 2 : 0;
    }

    /** A name per own dense column, for explanations. */
    public List<String> ownFeatureNames() {
        return ownFeatureNames(structure ? Set.of("structure") : Set.of());
    }

    /** A name per own dense column of inputs of these kinds. */
    public static List<String> ownFeatureNames(java.util.Collection<String> kinds) {
        List<String> names = new ArrayList<>();
        if (kinds.contains("structure")) {
            names.add("logDegree");
            names.add("inverseSqrtDegree");
        }
        return names;
    }

    /** The same kinds of inputs on a computation subgraph of this graph (its users' structure: the whole graph's). */
    public RegionInputs on(ComputationSubgraph sub) {
        Set<String> kinds = new java.util.LinkedHashSet<>();
        if (labels) {
            kinds.add("labels");
        }
        if (structure) {
            kinds.add("structure");
        }
        if (artists) {
            kinds.add("artists");
        }
        return new RegionInputs(sub.graph(), kinds, classes, sub.degrees());
    }

    /** The graph the inputs are read from. */
    public GraphSnapshot graph() {
        return graph;
    }

    /** The own dense inputs [N x ownWidth] row-major (a copy). */
    public float[] own() {
        return own.clone();
    }

    private float[] ownInputs() {
        int n = graph.userCount();
        int width = ownWidth();
        float[] x = new float[n * width];
        if (structure) {
            for (int u = 0; u < n; u++) {
                int degree = degrees == null ? graph.degree(u) : degrees[u];
                x[u * width] = (float) (Math.log1p(degree) / LOG_DEGREE_SCALE);
                x[u * width + 1] = (float) (1 / Math.sqrt(degree + 1.0));
            }
        }
        return x;
    }

    /** The inputs as tensors of {@code tensors}' manager, with the labels of {@code isInput} users only. */
    public RegionInput tensors(GraphTensors tensors, int[] regions, boolean[] isInput) {
        int n = regions.length;
        float[] oneHot = new float[n * classes];
        float[] known = new float[n];
        for (int u = 0; u < n; u++) {
            if (isInput[u] && regions[u] >= 0) {
                oneHot[u * classes + regions[u]] = 1;
                known[u] = 1;
            }
        }
        var manager = tensors.manager();
        return new RegionInput(Tensors.of(manager, oneHot, new Shape(n, classes)), Tensors.of(manager, known, new Shape(n, 1)),
                ownWidth() == 0 ? null : Tensors.of(manager, own, new Shape(n, ownWidth())));
    }
}

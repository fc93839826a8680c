package org.lastfmgnn.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The families of region models, each a {@link RegionNetwork}: an optional trained body, then the same
 * post-processing (Correct and Smooth's two propagation steps) with the family's own settings.
 */
public enum RegionFamily {
    /** No body: the input labels smoothed over the graph (Zhou et al. 2004). */
    LABEL_PROPAGATION("labelPropagation", null, false),
    /** A plain MLP on the user's own inputs, then correct and smooth (Huang et al. 2021). */
    CORRECT_AND_SMOOTH("correctAndSmooth", Architecture.MLP, false),
    /** A plain MLP on the user's own inputs: no message passing, no labels. */
    MLP("mlp", Architecture.MLP, false),
    /** An MLP on the neighbourhood label signals ({@link LabelHops}) and the own inputs: message passing done
     *  by the label signals alone. */
    LABEL_FEATURE_MLP("labelFeatureMlp", Architecture.MLP, true),
    /** Graph convolutions over the label signals and own inputs. */
    GCN("gcn", Architecture.GCN, true),
    /** Graph attention over the label signals and own inputs. */
    GAT("gat", Architecture.GAT, true);

    private final String label;
    private final Architecture body;
    private final boolean readsLabels;

    RegionFamily(String label, Architecture body, boolean readsLabels) {
        this.label = label;
        this.body = body;
        this.readsLabels = readsLabels;
    }

    public String label() {
        return label;
    }

    /** The trained part, or null for label propagation. */
    public Architecture body() {
        return body;
    }

    /** Whether the body reads the neighbourhood label signals. */
    public boolean readsLabels() {
        return readsLabels;
    }

    /** Message-passing layers of the body (0 for an MLP or no body). */
    public int bodyHops(int hiddenLayers) {
        return body == Architecture.GCN || body == Architecture.GAT ? hiddenLayers + 1 : 0;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(RegionFamily::label).toList();
    }

    public static RegionFamily of(String label) {
        for (RegionFamily f : values()) {
            if (f.label.equals(label) || f.label.toLowerCase(Locale.ROOT).equals(label.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not a region model. Allowed: " + labels());
    }
}

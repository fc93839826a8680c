package org.lastfmgnn.explain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The explainers of {@code lastfm.explain}, each scoring the candidate message edges (and the user's own inputs)
 * of one prediction:
 * <ul>
 *   <li>{@code random}: uniform random scores, the floor every method must clear;</li>
 *   <li>{@code saliency}: |d log p / d mask| at the full graph (Simonyan et al. 2014; PyG/Captum Saliency);</li>
 *   <li>{@code gradient}: d log p / d mask at the full graph, signed (Captum's Saliency with abs=False): the
 *       first-order estimate of what removing the edge alone takes from log p, i.e. of occlusion, from one
 *       backward pass;</li>
 *   <li>{@code integratedGradients}: the gradient averaged on the path from no candidate edge to all of them
 *       (Sundararajan et al. 2017), signed;</li>
 *   <li>{@code occlusion}: the drop of p when the edge alone is removed (one forward pass per edge);</li>
 *   <li>{@code attention}: GAT's attention on the edge, averaged over heads and layers (GAT models only);</li>
 *   <li>{@code gnnExplainer}: a soft mask learned to keep p high with few edges (Ying et al. 2019; PyG's
 *       coefficients).</li>
 * </ul>
 */
public enum ExplainerMethod {
    RANDOM("random"),
    SALIENCY("saliency"),
    GRADIENT("gradient"),
    INTEGRATED_GRADIENTS("integratedGradients"),
    OCCLUSION("occlusion"),
    ATTENTION("attention"),
    GNN_EXPLAINER("gnnExplainer");

    private final String label;

    ExplainerMethod(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(ExplainerMethod::label).toList();
    }

    public static ExplainerMethod of(String label) {
        for (ExplainerMethod m : values()) {
            if (m.label.toLowerCase(Locale.ROOT).equals(label.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not an explainer. Allowed: " + labels());
    }
}

package org.lastfmgnn.catalog;

import java.util.List;
import java.util.Map;
import org.lastfmgnn.model.Architecture;
import org.lastfmgnn.model.ModelShape;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.Refinement;

/**
 * A trained model as saved on disk: how to rebuild it ({@code architecture} ... {@code dropout}: the body, absent
 * for label propagation), how it predicts ({@code inputs}, {@code readsLabels}, the refinement), what it scored,
 * and the run that made it ({@code runId}, which its {@code (:GnnModel)} record and the predictions it wrote
 * carry too).
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written; older files are refused with a request to retrain
 * @param model         the region family's label, or the artist encoder's or the link predictor's architecture
 * @param classes       regions (region models: the output; friends models: the regions its node inputs one-hot)
 * @param architecture  the body's architecture, or null when there is no body
 * @param body          how the body is stored: {@value #LAYERS} (our layers, their weights in weights.bin) or
 *                      {@value #TORCHSCRIPT} (a TorchScript module, body.pt, imported); null in format 2 files: layers
 */
public record StoredModel(
        int formatVersion,
        String name,
        String runId,
        String task,
        String model,
        String architecture,
        int denseInputs,
        int sparseInputs,
        int[] hidden,
        int heads,
        int classes,
        double inputDropout,
        double dropout,
        List<String> inputs,
        boolean readsLabels,
        double correction,
        double smoothing,
        int propagationSteps,
        Map<String, Object> config,
        Map<String, Object> metrics,
        String featureSource,
        String trainedAt,
        String body) {
    /**
     * 2: region families and refinements, explicit input dropout, run ids. 3: the body's storage ({@code body}).
     * 4: the artist decoder's logistic head in place of per-artist wide weights (region models unchanged).
     * 5: the artist head reads one more input, the kriged likes (region models unchanged).
     * 6: the artist head's regional inputs are shrunk towards the global shares (region models unchanged).
     * 7: friends models (task {@code friends}, the link predictor); region and artist models unchanged.
     */
    public static final int FORMAT_VERSION = 7;
    /** The formats this plugin reads: 2 is 3 with every body stored as layers; artist models from 6 on only. */
    public static final java.util.Set<Integer> READABLE_FORMATS = java.util.Set.of(2, 3, 4, 5, 6, 7);
    /** The first format whose artist models this plugin reads (the head's inputs as {@code ArtistPairFeatures}). */
    public static final int ARTIST_HEAD_FORMAT = 6;
    public static final String LAYERS = "layers";
    public static final String TORCHSCRIPT = "torchscript";

    /** Whether the body is a TorchScript module (body.pt) rather than our layers. */
    public boolean scripted() {
        return TORCHSCRIPT.equals(body);
    }

    /** The body's shape, or null for a model without one. */
    public ModelShape bodyShape() {
        return architecture == null ? null : new ModelShape(Architecture.of(architecture), denseInputs, sparseInputs,
                hidden, heads, classes, inputDropout, dropout);
    }

    public Refinement refinement() {
        return new Refinement(correction, smoothing, propagationSteps);
    }

    /** The region family (region models only). */
    public RegionFamily family() {
        return RegionFamily.of(model);
    }
}

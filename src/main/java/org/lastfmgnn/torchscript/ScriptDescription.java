package org.lastfmgnn.torchscript;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a region module written by {@code lastfm.gnn.export.model} is, carried inside its archive as the extra file
 * {@value #EXTRA_FILE} (PyTorch keeps it through {@code torch.jit.load} / {@code torch.jit.save(_extra_files=...)}),
 * so that {@code lastfm.gnn.import} can serve it as it was served here. A module from elsewhere has none; its
 * import config says the same things.
 *
 * @param formatVersion {@value #FORMAT_VERSION}
 * @param model         the family it was trained as (gcn, mlp, ...)
 * @param inputs        region input kinds its x is made of (see {@code xColumns})
 * @param xColumns      the names of x's columns, in order
 * @param classes       logits' width
 * @param hops          message-passing hops of the module, label signals not counted
 * @param correction    Correct and Smooth's correction applied to its softmax when served (0: none)
 * @param smoothing     ... and smoothing (0: none)
 * @param propagationSteps the refinement's steps
 * @param runId         the training run it comes from
 */
public record ScriptDescription(int formatVersion, String task, String model, List<String> inputs, List<String> xColumns,
                                int classes, int hops, double correction, double smoothing, int propagationSteps,
                                String runId) {
    public static final int FORMAT_VERSION = 1;
    public static final String EXTRA_FILE = "lastfm-gnn.json";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The description inside {@code archive}, if it has one; an error naming the problem if it has a broken one. */
    public static Optional<ScriptDescription> of(byte[] archive) throws IOException {
        Optional<byte[]> file = TorchScriptArchive.extraFile(archive, EXTRA_FILE);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        ScriptDescription d;
        try {
            d = JSON.readValue(file.get(), ScriptDescription.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the archive's extra/" + EXTRA_FILE + " is not a description: " + e.getMessage(), e);
        }
        if (d.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("the archive's extra/" + EXTRA_FILE + " is in format " + d.formatVersion()
                    + "; this plugin reads " + FORMAT_VERSION);
        }
        return Optional.of(d);
    }
}

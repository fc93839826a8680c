package org.lastfmgnn.torchscript;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lastfmgnn.config.ConfigMap;

/**
 * Configuration of {@code lastfm.gnn.import}: where the TorchScript file is, the name it gets, and what its module
 * reads and how it is served, each defaulting to the archive's own {@link ScriptDescription} when it has one.
 *
 * @param file       the archive's path relative to Neo4j's import directory
 * @param modelName  the name it is saved and served under
 * @param inputs     region input kinds x is made of ({@code labels}: the label signals; {@code structure}: the own
 *                   degree inputs); the likes are not an input of scripted modules
 * @param correction Correct and Smooth's correction of its softmax (0: none), as train's key
 * @param smoothing  ... smoothing (0: none)
 * @param propagationSteps the refinement's steps
 */
public record ImportConfig(String file, String modelName, List<String> inputs, double correction,
                           double smoothing, int propagationSteps) {
    public static final String PROCEDURE = "lastfm.gnn.import";
    public static final List<String> KEYS = List.of("file", "modelName", "inputs", "correction", "smoothing",
            "propagationSteps");
    /** What a scripted module's x can be made of. */
    public static final List<String> INPUT_KINDS = List.of("labels", "structure");
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** @param described the archive's own description, if any: the defaults */
    public static ImportConfig parse(Map<String, Object> raw, Optional<ScriptDescription> described) {
        String file = file(raw);
        ConfigMap config = ConfigMap.of(PROCEDURE, raw, KEYS);
        String name = config.string("modelName", null);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(PROCEDURE + ": 'modelName' is required, 1-64 letters, digits, '_' or '-', got '"
                    + name + "'");
        }
        List<String> defaultInputs = described.map(ScriptDescription::inputs).orElse(List.of("labels", "structure"));
        List<String> inputs = config.strings("inputs", defaultInputs, INPUT_KINDS);
        if (!INPUT_KINDS.containsAll(inputs)) {
            throw new IllegalArgumentException(PROCEDURE + ": the archive's module reads " + inputs + "; scripted modules "
                    + "read only " + INPUT_KINDS);
        }
        double correction = config.number("correction", described.map(ScriptDescription::correction).orElse(0.0), 0, 1);
        double smoothing = config.number("smoothing", described.map(ScriptDescription::smoothing).orElse(0.0), 0, 1);
        int steps = (int) config.integer("propagationSteps", described.map(ScriptDescription::propagationSteps).orElse(0),
                0, 1000);
        return new ImportConfig(file, name, inputs, correction, smoothing, steps);
    }

    /** Only the file, read before the archive is (whose description gives the other keys' defaults). */
    public static String file(Map<String, Object> raw) {
        String file = ConfigMap.of(PROCEDURE, raw, KEYS).string("file", null);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException(PROCEDURE + ": 'file' is required: the TorchScript file's path relative to "
                    + "the import directory");
        }
        return file;
    }
}

package org.lastfmgnn.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lastfmgnn.files.Folders;

/**
 * Trained models under the database's data directory, one folder per model name, one version per training run:
 * <pre>
 *   &lt;root&gt;/&lt;name&gt;/v-&lt;runId&gt;/model.json     what the model is ({@link StoredModel})
 *   &lt;root&gt;/&lt;name&gt;/v-&lt;runId&gt;/weights.bin    its parameters
 *   &lt;root&gt;/&lt;name&gt;/v-&lt;runId&gt;/body.pt        its body as a TorchScript module, when imported as one
 *   &lt;root&gt;/&lt;name&gt;/CURRENT                   the version in use
 * </pre>
 * A version is written in a hidden staging folder, flushed to disk and renamed into place ({@link #save}); it
 * becomes the model only when {@code CURRENT} is replaced by a single atomic rename ({@link #promote}). A crash
 * at any point leaves either the old version or the new one in use, never a mix and never neither;
 * {@link #recover} then removes what no longer counts. Which version should be in use is decided above this
 * class: the {@code (:GnnModel)} record in the graph is the commit point (see the service's ModelCatalog).
 */
public final class ModelStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String CURRENT = "CURRENT";
    private static final String VERSION_PREFIX = "v-";
    private static final String SCRIPT = "body.pt";
    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelStore(Path root) {
        this.root = root;
    }

    /** Writes the model as version {@code model.runId()}, durably, without putting it in use. */
    public void save(StoredModel model, float[][] weights) throws IOException {
        save(model, weights, null);
    }

    /** The same, with the body as a TorchScript archive ({@code script}, null: none) beside the weights. */
    public void save(StoredModel model, float[][] weights, byte[] script) throws IOException {
        Path folder = folder(model.name());
        Files.createDirectories(folder);
        Path staging = Files.createTempDirectory(folder, ".staging-");
        Path description = staging.resolve("model.json");
        json.writeValue(description.toFile(), model);
        Path weightsFile = staging.resolve("weights.bin");
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(weightsFile)))) {
            out.writeInt(weights.length);
            for (float[] tensor : weights) {
                out.writeInt(tensor.length);
                for (float v : tensor) {
                    out.writeFloat(v);
                }
            }
        }
        Path scriptFile = staging.resolve(SCRIPT);
        if (script != null) {
            Files.write(scriptFile, script);
        }
        CrashPoints.reached("save");
        sync(description);
        sync(weightsFile);
        if (script != null) {
            sync(scriptFile);
        }
        sync(staging);
        Path version = folder.resolve(VERSION_PREFIX + model.runId());
        Files.move(staging, version, StandardCopyOption.ATOMIC_MOVE);
        sync(folder);
    }

    /** Puts version {@code runId} (saved before) in use: one atomic rename of {@code CURRENT}. */
    public void promote(String name, String runId) throws IOException {
        Path folder = folder(name);
        if (!Files.isDirectory(folder.resolve(VERSION_PREFIX + runId))) {
            throw new IllegalStateException("Model '" + name + "' has no saved version " + runId);
        }
        Path next = folder.resolve(CURRENT + ".next");
        Files.writeString(next, VERSION_PREFIX + runId, StandardCharsets.UTF_8);
        sync(next);
        Files.move(next, folder.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(folder);
    }

    /** The run id of the version in use, if any. */
    public Optional<String> current(String name) throws IOException {
        try {
            String version = Files.readString(folder(name).resolve(CURRENT), StandardCharsets.UTF_8).trim();
            return Optional.of(version.substring(VERSION_PREFIX.length()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The run ids of every complete saved version. */
    public List<String> versions(String name) throws IOException {
        Path folder = folder(name);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(folder)) {
            return paths.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(VERSION_PREFIX))
                    .map(f -> f.substring(VERSION_PREFIX.length())).sorted().toList();
        }
    }

    /**
     * Makes {@code committedRunId} the version in use when it is saved (null: the model was never committed and is
     * removed), then deletes every other version and any leftover of an interrupted save, promote or drop.
     */
    public void recover(String name, String committedRunId) throws IOException {
        Path folder = folder(name);
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<String> versions = versions(name);
        if (versions.isEmpty() && current(name).isEmpty()) {
            return; // nothing of ours: a folder of an older format is left as it is (describe says to retrain)
        }
        if (committedRunId == null) {
            Folders.deleteTree(folder);
            return;
        }
        if (versions.contains(committedRunId) && !current(name).map(committedRunId::equals).orElse(false)) {
            promote(name, committedRunId);
        }
        String keep = current(name).orElse(null);
        try (Stream<Path> paths = Files.list(folder)) {
            for (Path p : paths.toList()) {
                String f = p.getFileName().toString();
                boolean inUse = f.equals(CURRENT) || f.equals(VERSION_PREFIX + keep);
                if (!inUse) {
                    Folders.deleteTree(p);
                }
            }
        }
    }

    /** Names that have a saved folder (committed or not): what {@link #recover} looks at. */
    public List<String> folders() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches()).sorted().toList();
        }
    }

    /** Names of the models with a version in use. */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        for (String n : folders()) {
            if (Files.exists(folder(n).resolve(CURRENT))) {
                names.add(n);
            }
        }
        return names;
    }

    public StoredModel describe(String name) throws IOException {
        Path version = inUse(name);
        StoredModel model = json.readValue(version.resolve("model.json").toFile(), StoredModel.class);
        boolean oldArtistModel = "artists".equals(model.task()) && model.formatVersion() < StoredModel.ARTIST_HEAD_FORMAT;
        if (!StoredModel.READABLE_FORMATS.contains(model.formatVersion()) || oldArtistModel) {
            throw new IllegalArgumentException("Model '" + name + "' was saved in format " + model.formatVersion()
                    + " by another version of this plugin (this one reads formats " + new java.util.TreeSet<>(StoredModel.READABLE_FORMATS)
                    + (oldArtistModel ? ", artist models from " + StoredModel.ARTIST_HEAD_FORMAT : "") + "); retrain it: CALL lastfm.gnn.train({modelName: '" + name + "'})");
        }
        return model;
    }

    public float[][] weights(String name) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(inUse(name).resolve("weights.bin"))))) {
            float[][] weights = new float[in.readInt()][];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = new float[in.readInt()];
                for (int j = 0; j < weights[i].length; j++) {
                    weights[i][j] = in.readFloat();
                }
            }
            return weights;
        }
    }

    /** The body of a model imported as TorchScript: the archive's bytes. */
    public byte[] script(String name) throws IOException {
        Path file = inUse(name).resolve(SCRIPT);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("Model '" + name + "' has no TorchScript body");
        }
        return Files.readAllBytes(file);
    }

    public List<StoredModel> list() throws IOException {
        List<StoredModel> models = new ArrayList<>();
        for (String name : names()) {
            models.add(describe(name));
        }
        return models;
    }

    /** Removes the model's folder (hidden first by one rename, so a crash leaves nothing half-deleted in use). */
    public boolean drop(String name) throws IOException {
        Path folder = folder(name);
        if (!Files.exists(folder)) {
            return false;
        }
        Path hidden = root.resolve(".dropped-" + name + "-" + System.nanoTime());
        Files.move(folder, hidden, StandardCopyOption.ATOMIC_MOVE);
        Folders.deleteTree(hidden);
        return true;
    }

    /** Deletes what interrupted drops left behind. */
    public void removeDropped() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> paths = Files.list(root)) {
            for (Path p : paths.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                Folders.deleteTree(p);
            }
        }
    }

    private Path inUse(String name) throws IOException {
        Optional<String> current = current(name);
        if (current.isEmpty()) {
            if (Files.exists(folder(name).resolve("model.json"))) {
                throw new IllegalArgumentException("Model '" + name + "' was saved by an older version of this plugin; "
                        + "retrain it: CALL lastfm.gnn.train({modelName: '" + name + "'})");
            }
            throw new IllegalArgumentException("No model named '" + name + "'. Models: " + names()
                    + " (train one with CALL lastfm.gnn.train({modelName: '" + name + "'}))");
        }
        return folder(name).resolve(VERSION_PREFIX + current.get());
    }

    private Path folder(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Model names are 1-64 letters, digits, '_' or '-', got '" + name + "'");
        }
        return root.resolve(name);
    }

    /** fsync of a file or a folder (a folder's entries: the renames into it). */
    private static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, Files.isDirectory(path)
                ? new StandardOpenOption[] {StandardOpenOption.READ} : new StandardOpenOption[] {StandardOpenOption.WRITE})) {
            channel.force(true);
        }
    }
}

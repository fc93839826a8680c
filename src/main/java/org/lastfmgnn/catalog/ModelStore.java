package org.lastfmgnn.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Trained models under the database's data directory ({@code <data>/lastfm-gnn/models/<name>/}): a
 * {@code model.json} that describes the model and a {@code weights.bin} of its parameters. A save replaces
 * the whole folder at once, so a reader never sees the description of one run with the weights of another.
 */
public final class ModelStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelStore(Path root) {
        this.root = root;
    }

    public void save(StoredModel model, float[][] weights) throws IOException {
        Path target = folder(model.name());
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, "." + model.name() + "-");
        json.writeValue(staging.resolve("model.json").toFile(), model);
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(staging.resolve("weights.bin"))))) {
            out.writeInt(weights.length);
            for (float[] tensor : weights) {
                out.writeInt(tensor.length);
                for (float v : tensor) {
                    out.writeFloat(v);
                }
            }
        }
        Path old = null;
        if (Files.exists(target)) {
            old = root.resolve("." + model.name() + "-old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    public StoredModel describe(String name) throws IOException {
        Path file = folder(name).resolve("model.json");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("No model named '" + name + "'. Models: " + names()
                    + " (train one with CALL lastfm.gnn.train({modelName: '" + name + "'}))");
        }
        return json.readValue(file.toFile(), StoredModel.class);
    }

    public float[][] weights(String name) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(folder(name).resolve("weights.bin"))))) {
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

    public List<String> names() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(p -> Files.exists(p.resolve("model.json")))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    public List<StoredModel> list() throws IOException {
        List<StoredModel> models = new ArrayList<>();
        for (String name : names()) {
            models.add(describe(name));
        }
        return models;
    }

    /** Removes the model's folder; returns false if there was none. */
    public boolean drop(String name) throws IOException {
        Path folder = folder(name);
        if (!Files.exists(folder)) {
            return false;
        }
        deleteTree(folder);
        return true;
    }

    private Path folder(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Model names are 1-64 letters, digits, '_' or '-', got '" + name + "'");
        }
        return root.resolve(name);
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

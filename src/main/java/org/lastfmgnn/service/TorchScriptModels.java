package org.lastfmgnn.service;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.lastfmgnn.catalog.StoredModel;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.LabelHops;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.ScriptedBody;
import org.lastfmgnn.torchscript.BodyScript;
import org.lastfmgnn.torchscript.ImportConfig;
import org.lastfmgnn.torchscript.ScriptDescription;
import org.lastfmgnn.torchscript.TorchScriptArchive;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.TrainConfig;
import org.neo4j.graphdb.Transaction;

/**
 * Region models to and from TorchScript, the route past this machine: {@code lastfm.gnn.export.model} writes one of
 * our models as a module that PyTorch loads ({@code torch.jit.load}), and {@code lastfm.gnn.import} saves a module
 * trained elsewhere (or one we wrote) into the catalog, after one forward pass on this graph proves it fits, so
 * that predict, explain and write-back serve it like a model trained here (its {@link ScriptedBody}).
 */
public final class TorchScriptModels {
    /** {@code lastfm.gnn.export.model}'s row. */
    public record Exported(String modelName, String file, String model, List<String> inputs, List<String> xColumns,
                           long classes, long hops, long bytes, long formatVersion, long exportMillis) {
    }

    /** {@code lastfm.gnn.import}'s row. */
    public record Imported(String modelName, String file, String model, String runId, List<String> inputs,
                           long inputWidth, long classes, Map<String, Object> refinement, boolean described,
                           long nodeCount, long importMillis) {
    }

    private final ModelCatalog catalog;
    private final Consumer<String> log;

    public TorchScriptModels(ModelCatalog catalog, Consumer<String> log) {
        this.catalog = catalog;
        this.log = log;
    }

    /** Writes region model {@code modelName} to {@code file} (inside the import directory) as TorchScript. */
    public Exported export(String modelName, Path file, String relativeFile) throws IOException {
        long start = System.nanoTime();
        StoredModel stored = catalog.describe(modelName);
        if (!stored.task().equals(TrainConfig.REGION)) {
            throw new IllegalArgumentException("Model '" + modelName + "' is a '" + stored.task()
                    + "' model; lastfm.gnn.export.model writes region models");
        }
        if (stored.inputs().contains("artists")) {
            throw new IllegalArgumentException("Model '" + modelName + "' reads the artist likes (a sparse input), which "
                    + "scripted modules do not; train one with inputs: " + ImportConfig.INPUT_KINDS);
        }
        if (stored.scripted()) {
            throw new IllegalArgumentException("Model '" + modelName + "' was imported as TorchScript: its file is the one "
                    + "it was imported from (" + stored.config().get("file") + ")");
        }
        if (stored.bodyShape() == null) {
            throw new IllegalArgumentException("Model '" + modelName + "' is " + stored.model() + ", which has no learned "
                    + "body to write (it is the refinement alone)");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("lastfm.gnn.export.model: '" + relativeFile + "' is a directory");
        }
        int hops = stored.family().bodyHops(stored.hidden().length);
        List<String> columns = xColumns(stored.inputs(), stored.classes());
        ScriptDescription description = new ScriptDescription(ScriptDescription.FORMAT_VERSION, stored.task(),
                stored.model(), stored.inputs(), columns, stored.classes(), hops, stored.correction(), stored.smoothing(),
                stored.propagationSteps(), stored.runId());
        byte[] archive;
        try (NDManager manager = Engines.newCpuManager();
             NodeClassifier body = new NodeClassifier(manager, stored.bodyShape(), 0)) {
            body.restore(catalog.weights(modelName));
            archive = TorchScriptArchive.bytes(BodyScript.of(body, className(stored.model()),
                    Map.of(ScriptDescription.EXTRA_FILE, description.toJson())));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".partial");
        try {
            Files.write(temporary, archive);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        log.accept(String.format("lastfm.gnn.export.model %s: TorchScript to %s (%,d bytes)", modelName, file, archive.length));
        return new Exported(modelName, relativeFile, stored.model(), stored.inputs(), columns, stored.classes(), hops,
                archive.length, ScriptDescription.FORMAT_VERSION, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Saves the TorchScript module in {@code file} as region model {@code config.modelName()} after applying it once
     * to the graph of {@code tx}: it must load, take x [N x F] (F from its inputs) with the graph's message edges,
     * and return finite logits [N x C], one column per region. Nothing is saved otherwise.
     */
    public Imported importModel(Transaction tx, Map<String, Object> raw, Path file, String relative) throws IOException {
        long start = System.nanoTime();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": no file '" + relative + "' in the import directory");
        }
        byte[] archive = Files.readAllBytes(file);
        Optional<ScriptDescription> described;
        try {
            described = ScriptDescription.of(archive);
        } catch (IOException e) {
            throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": '" + relative + "' is " + e.getMessage());
        }
        if (described.isPresent() && !described.get().task().equals(TrainConfig.REGION)) {
            throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": '" + relative + "' holds a '"
                    + described.get().task() + "' model; region models are imported");
        }
        ImportConfig config = ImportConfig.parse(raw, described);
        if (TrainingLock.isTraining(config.modelName())) {
            throw new IllegalStateException("A training of model '" + config.modelName() + "' is running; import under "
                    + "another name or stop it first");
        }
        GraphSnapshot graph = GraphExporter.export(tx, null, false);
        if (graph.userCount() == 0) {
            throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": no users to check the module on (run lastfm.load first)");
        }
        int classes = described.map(ScriptDescription::classes).orElse(graph.classCount());
        if (classes < graph.classCount()) {
            throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": the module in '" + relative + "' knows " + classes
                    + " regions; this graph has region ids up to " + (graph.classCount() - 1));
        }
        RegionInputs inputs = new RegionInputs(graph, new LinkedHashSet<>(config.inputs()), classes);
        boolean readsLabels = inputs.usesLabels();
        int width = RegionNetwork.bodyInputWidth(readsLabels, classes, inputs.ownWidth());
        check(archive, graph, inputs, readsLabels, classes, width, relative);
        String model = described.map(ScriptDescription::model).filter(m -> !m.isBlank()).orElse(StoredModel.TORCHSCRIPT);
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("file", relative);
        described.ifPresent(d -> recorded.put("exportedFromRun", d.runId()));
        String runId = UUID.randomUUID().toString();
        StoredModel stored = new StoredModel(StoredModel.FORMAT_VERSION, config.modelName(), runId, TrainConfig.REGION,
                model, null, width, 0, new int[0], 0, classes, 0, 0, new ArrayList<>(config.inputs()), readsLabels,
                config.correction(), config.smoothing(), config.propagationSteps(), recorded, Map.of(),
                graph.featureSource(), ZonedDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString(), StoredModel.TORCHSCRIPT);
        catalog.commit(stored, new float[0][], archive, () -> {
        });
        Map<String, Object> refinement = new LinkedHashMap<>();
        refinement.put("correction", config.correction());
        refinement.put("smoothing", config.smoothing());
        refinement.put("propagationSteps", config.propagationSteps());
        log.accept(String.format("lastfm.gnn.import %s: TorchScript from %s, %d inputs -> %d classes, checked on %,d users",
                config.modelName(), file, width, classes, graph.userCount()));
        return new Imported(config.modelName(), relative, model, runId, config.inputs(), width, classes, refinement,
                described.isPresent(), graph.userCount(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** One forward pass of the module on the graph, every labelled user's label an input. */
    private static void check(byte[] archive, GraphSnapshot graph, RegionInputs inputs, boolean readsLabels, int classes,
                              int width, String file) {
        int[] regions = graph.regions();
        boolean[] labelled = new boolean[regions.length];
        for (int u = 0; u < regions.length; u++) {
            labelled[u] = regions[u] >= 0;
        }
        try (NDManager manager = Engines.newCpuManager();
             GraphTensors tensors = new GraphTensors(manager, graph, false);
             RegionNetwork network = new RegionNetwork(StoredModel.TORCHSCRIPT, ScriptedBody.load(manager, archive),
                     readsLabels, classes, RegionNetwork.UNKNOWN_HOPS)) {
            Shape shape;
            boolean finite;
            try (NDManager pass = manager.newSubManager()) {
                var logits = network.logits(tensors, inputs.tensors(tensors, regions, labelled), false);
                shape = logits.getShape();
                finite = !logits.isNaN().logicalOr(logits.isInfinite()).any().getBoolean();
            }
            long n = graph.userCount();
            if (shape.dimension() != 2 || shape.get(0) != n || shape.get(1) != classes) {
                throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": the module in '" + file + "' returned " + shape
                        + " for x (" + n + ", " + width + "); it must return logits (" + n + ", " + classes + "), one "
                        + "column per region");
            }
            if (!finite) {
                throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": the module in '" + file + "' returned "
                        + "non-finite logits on this graph");
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(ImportConfig.PROCEDURE)) {
                throw e;
            }
            throw new IllegalArgumentException(ImportConfig.PROCEDURE + ": '" + file + "': " + e.getMessage());
        }
    }

    /** The names of x's columns for these inputs: the label signals' ({@link LabelHops}), then the own inputs'. */
    static List<String> xColumns(List<String> inputs, int classes) {
        List<String> names = new ArrayList<>();
        if (inputs.contains("labels")) {
            names.addAll(LabelHops.columnNames(classes));
        }
        names.addAll(RegionInputs.ownFeatureNames(inputs));
        return names;
    }

    private static String className(String model) {
        String clean = model.replaceAll("[^A-Za-z0-9]", "");
        return "Lastfm" + (clean.isEmpty() ? "Body" : Character.toUpperCase(clean.charAt(0)) + clean.substring(1));
    }
}

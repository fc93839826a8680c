package org.lastfmgnn.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureFile;
import org.lastfmgnn.dataset.ImportDirectory;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.loading.EmptyStoreImport;

/**
 * The launcher's first load into a new store: the staged files, chosen exactly as {@code lastfm.load} will choose
 * them, written by Neo4j's offline importer before the server starts ({@link EmptyStoreImport}). A store that
 * already has a database is left to {@code lastfm.load} alone.
 */
final class FirstLoad {
    private final Path storeDir;
    private final Path importDir;
    private final Report report;

    FirstLoad(Path storeDir, Path importDir, Report report) {
        this.storeDir = storeDir;
        this.importDir = importDir;
        this.report = report;
    }

    void importIfEmpty(String loadFeatures) throws IOException {
        EmptyStoreImport importer = new EmptyStoreImport(storeDir);
        if (!importer.prepare()) {
            return;
        }
        long t = System.nanoTime();
        ImportDirectory imports = new ImportDirectory(importDir);
        FeatureFile features = FeatureFile.choose(loadFeatures, imports.root(), imports);
        LastFmDataset data = DatasetReader.read(imports.root(), features.path(), features.source());
        Path logFile = Files.createDirectories(storeDir.resolve("logs")).resolve("import.log");
        EmptyStoreImport.Result result;
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, "UTF-8")) {
            result = importer.run(data, log);
        } catch (IOException | RuntimeException failed) {
            // nothing half-imported may stay: the store goes back to empty and lastfm.load writes it instead
            importer.prepare();
            System.out.println("!!! Neo4j's importer failed (" + failed.getMessage() + "; its report: " + logFile
                    + "); lastfm.load will write the data through transactions instead.");
            return;
        }
        report.timing("importMillis", t);
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("tool", "neo4j-admin database import full (in process, before the server starts)");
        section.put("nodes", result.nodes());
        section.put("relationships", result.relationships());
        section.put("featureSource", data.featureSource().label());
        section.put("importMillis", result.millis());
        section.put("relationshipsPerSecond", Math.round(result.relationshipsPerSecond()));
        report.section("import", section);
        System.out.printf("Imported %,d nodes and %,d relationships (features: %s) into the new store with Neo4j's importer "
                        + "in %,d ms, %,.0f relationships/s (its report: %s)%n", result.nodes(), result.relationships(),
                data.featureSource().label(), result.millis(), result.relationshipsPerSecond(), logFile);
    }
}

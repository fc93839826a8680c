package org.lastfmgnn.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.FeaturesDownload;

/**
 * Puts the dataset files into the server's import directory, the only place {@code lastfm.load} reads from,
 * and turns the launcher's {@code --features} into the procedure's {@code features} setting.
 */
final class DatasetStaging {
    private final Path data;
    private final Path importDir;
    private final URI downloadFrom;
    private final PrintStream console;

    DatasetStaging(Path data, Path importDir, URI downloadFrom, PrintStream console) {
        this.data = data;
        this.importDir = importDir;
        this.downloadFrom = downloadFrom;
        this.console = console;
    }

    /** Copies the files needed and returns the {@code features} value for {@code lastfm.load}. */
    String stage(String features) throws IOException, InterruptedException {
        copy(data.resolve(DatasetFiles.USERS));
        copy(data.resolve(DatasetFiles.FRIENDSHIPS));
        Files.deleteIfExists(importDir.resolve(DatasetFiles.REAL_FEATURES));
        switch (features) {
            case "none":
                return "none";
            case "synthetic":
                copy(data.resolve(DatasetFiles.SYNTHETIC_FEATURES));
                return "synthetic";
            case "auto":
                return stageAuto();
            default: {
                Path file = Path.of(features);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--features " + features + ": no such file (use auto, none, synthetic or a path)");
                }
                copy(file);
                return file.getFileName().toString();
            }
        }
    }

    private String stageAuto() throws IOException, InterruptedException {
        Path real = data.resolve(DatasetFiles.REAL_FEATURES);
        if (!Files.isRegularFile(real)) {
            console.println("The real artist likes (" + DatasetFiles.REAL_FEATURES + ") are not in " + data
                    + "; trying once to download them from " + downloadFrom);
            try {
                new FeaturesDownload(console).fetch(downloadFrom, DatasetFiles.REAL_FEATURES_BLOB_ID, real);
                console.println("Downloaded and verified " + real);
            } catch (IOException e) {
                copy(data.resolve(DatasetFiles.SYNTHETIC_FEATURES));
                console.println();
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                console.println("!!! WARNING: could not get the real artist likes (" + why + ").");
                console.println("!!! Using the SYNTHETIC stand-in " + DatasetFiles.SYNTHETIC_FEATURES
                        + ": every artist number in this run is measured on synthetic data.");
                console.println();
                return "synthetic";
            }
        }
        copy(real);
        return "auto";
    }

    private void copy(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Missing dataset file: " + file);
        }
        Files.copy(file, importDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}

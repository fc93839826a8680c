package org.lastfmgnn.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The likes file chosen by a {@code features} setting, and what it is.
 *
 * @param path   null when no likes are to be loaded
 * @param source the label every artist-based number will carry
 */
public record FeatureFile(Path path, FeatureSource source) {
    public static final List<String> KEYWORDS = List.of("auto", "none", "synthetic");

    /**
     * {@code auto}: the real file when present, else none. {@code none}, {@code synthetic}, or a file name inside
     * {@code dataDirectory} (which must itself lie inside {@code imports}).
     */
    public static FeatureFile choose(String features, Path dataDirectory, ImportDirectory imports) throws IOException {
        String choice = features == null ? "auto" : features;
        switch (choice) {
            case "none":
                return new FeatureFile(null, FeatureSource.NONE);
            case "auto": {
                Path real = dataDirectory.resolve(DatasetFiles.REAL_FEATURES);
                return Files.isRegularFile(real) ? new FeatureFile(real, classify(real)) : new FeatureFile(null, FeatureSource.NONE);
            }
            case "synthetic": {
                Path synthetic = dataDirectory.resolve(DatasetFiles.SYNTHETIC_FEATURES);
                if (!Files.isRegularFile(synthetic)) {
                    throw new IllegalArgumentException("features 'synthetic': " + DatasetFiles.SYNTHETIC_FEATURES
                            + " is not in " + dataDirectory);
                }
                return new FeatureFile(synthetic, FeatureSource.SYNTHETIC);
            }
            default: {
                Path file = imports.resolve(imports.root().relativize(dataDirectory).resolve(choice).toString());
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("features '" + choice + "': no such file in " + dataDirectory
                            + " (use one of " + KEYWORDS + " or a file name)");
                }
                return new FeatureFile(file, classify(file));
            }
        }
    }

    /** Real only when the bytes are the published file; a name says synthetic; anything else is unverified. */
    static FeatureSource classify(Path file) throws IOException {
        if (DatasetFiles.REAL_FEATURES_BLOB_ID.equals(GitBlobId.of(file))) {
            return FeatureSource.REAL;
        }
        return file.getFileName().toString().contains("synthetic") ? FeatureSource.SYNTHETIC : FeatureSource.UNVERIFIED;
    }
}

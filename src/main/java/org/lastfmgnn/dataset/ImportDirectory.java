package org.lastfmgnn.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Neo4j's import directory, the only place procedures read files from. Paths given by users are resolved
 * inside it; anything that escapes it (.., absolute paths, symbolic links pointing out) is refused, the same
 * rule Neo4j applies to LOAD CSV.
 */
public final class ImportDirectory {
    private final Path root;

    public ImportDirectory(Path root) {
        try {
            this.root = root.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Neo4j's import directory does not exist: " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** Resolves {@code relative} inside the import directory, or throws naming the path and the root. */
    public Path resolve(String relative) {
        Path candidate = root.resolve(relative == null ? "" : relative).normalize();
        if (!candidate.startsWith(root)) {
            throw escape(relative);
        }
        if (Files.exists(candidate)) {
            try {
                if (!candidate.toRealPath().startsWith(root)) {
                    throw escape(relative);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidate;
    }

    private IllegalArgumentException escape(String relative) {
        return new IllegalArgumentException("Path '" + relative + "' is outside Neo4j's import directory ("
                + root + "); give a path relative to it");
    }
}

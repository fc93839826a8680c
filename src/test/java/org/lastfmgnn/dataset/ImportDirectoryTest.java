package org.lastfmgnn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void pathsInsideResolve() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("import"));
        ImportDirectory imports = new ImportDirectory(root);
        assertThat(imports.resolve("a/../b")).isEqualTo(root.toRealPath().resolve("b"));
        assertThat(imports.resolve("")).isEqualTo(root.toRealPath());
    }

    @Test
    void pathsThatEscapeAreRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("import"));
        Files.createDirectories(tmp.resolve("secret"));
        Files.createSymbolicLink(root.resolve("link"), tmp.resolve("secret"));
        ImportDirectory imports = new ImportDirectory(root);
        for (String escape : new String[] {"..", "../secret", "/etc", "a/../../secret", "link"}) {
            assertThatThrownBy(() -> imports.resolve(escape))
                    .as(escape)
                    .hasMessageContaining("'" + escape + "' is outside Neo4j's import directory");
        }
    }
}

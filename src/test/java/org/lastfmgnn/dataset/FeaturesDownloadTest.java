package org.lastfmgnn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a zip served on loopback, the way SNAP serves the real one. */
class FeaturesDownloadTest {
    private static final String LIKES = "{\"0\": [1, 2], \"1\": [3]}";

    @TempDir
    Path tmp;
    private HttpServer server;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeEach
    void serveZip() throws IOException {
        byte[] zip = zipWith("lasftm_asia/" + DatasetFiles.REAL_FEATURES, LIKES);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/lastfm_asia.zip", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/zip");
            exchange.sendResponseHeaders(200, zip.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zip);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void extractsAndKeepsTheFileWhenTheBlobIdMatches() throws Exception {
        Path expected = Files.writeString(tmp.resolve("expected.json"), LIKES);
        Path target = tmp.resolve(DatasetFiles.REAL_FEATURES);
        download().fetch(uri("/lastfm_asia.zip"), GitBlobId.of(expected), target);
        assertThat(target).hasContent(LIKES);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("100%");
    }

    @Test
    void refusesAFileWithAnotherBlobId() {
        Path target = tmp.resolve(DatasetFiles.REAL_FEATURES);
        assertThatThrownBy(() -> download().fetch(uri("/lastfm_asia.zip"), DatasetFiles.REAL_FEATURES_BLOB_ID, target))
                .hasMessageContaining("not the published file");
        assertThat(target).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void reportsHttpErrors() {
        Path target = tmp.resolve(DatasetFiles.REAL_FEATURES);
        assertThatThrownBy(() -> download().fetch(uri("/missing.zip"), DatasetFiles.REAL_FEATURES_BLOB_ID, target))
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void gitBlobIdMatchesGit() throws IOException {
        // `printf 'hello\n' | git hash-object --stdin`
        Path file = Files.writeString(tmp.resolve("hello"), "hello\n");
        assertThat(GitBlobId.of(file)).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
    }

    private FeaturesDownload download() {
        return new FeaturesDownload(new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    static byte[] zipWith(String entry, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}

package org.lastfmgnn.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Fetches the real likes file from SNAP's {@code lastfm_asia.zip}: one try, a progress bar, and the file is
 * kept only if its git blob id is the published one.
 */
public final class FeaturesDownload {
    public static final URI SNAP_ZIP = URI.create("https://snap.stanford.edu/data/lastfm_asia.zip");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final PrintStream console;

    public FeaturesDownload(PrintStream console) {
        this.console = console;
    }

    /**
     * Downloads {@code zip}, extracts the entry named {@link DatasetFiles#REAL_FEATURES} and, if its blob id is
     * {@code expectedBlobId}, moves it to {@code target}. Throws, leaving {@code target} untouched, otherwise.
     */
    public void fetch(URI zip, String expectedBlobId, Path target) throws IOException, InterruptedException {
        Path zipFile = Files.createTempFile("lastfm_asia", ".zip");
        Path extracted = Files.createTempFile(target.getParent(), DatasetFiles.REAL_FEATURES, ".part");
        try {
            download(zip, zipFile);
            extract(zipFile, extracted);
            String blobId = GitBlobId.of(extracted);
            if (!blobId.equals(expectedBlobId)) {
                throw new IOException("downloaded " + DatasetFiles.REAL_FEATURES + " has git blob id " + blobId
                        + ", expected " + expectedBlobId + ": not the published file, not used");
            }
            Files.move(extracted, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(zipFile);
            Files.deleteIfExists(extracted);
        }
    }

    private void download(URI uri, Path file) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                done += n;
                drawBar(done, length);
            }
            console.println();
        }
    }

    private void drawBar(long done, long length) {
        if (length <= 0) {
            console.printf(Locale.ROOT, "\r  downloading %.1f MB", done / 1e6);
            return;
        }
        int width = 40;
        int filled = (int) (width * done / length);
        console.printf(Locale.ROOT, "\r  [%s%s] %3d%% %.1f/%.1f MB", "#".repeat(filled), " ".repeat(width - filled),
                100 * done / length, done / 1e6, length / 1e6);
    }

    private static void extract(Path zipFile, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(zipFile))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!entry.isDirectory() && (name.equals(DatasetFiles.REAL_FEATURES) || name.endsWith("/" + DatasetFiles.REAL_FEATURES))) {
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        }
        throw new IOException("the zip holds no " + DatasetFiles.REAL_FEATURES);
    }
}

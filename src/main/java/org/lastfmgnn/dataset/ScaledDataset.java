package org.lastfmgnn.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A LastFM-like graph {@code factor} times the size of a base dataset, for growth benchmarks. Copy c of user u
 * has id {@code c * N + id(u)}, u's region and u's likes, so the likes distribution is the base's exactly. Each
 * friendship (a, b) of the base appears once per copy; with probability {@code rewire} its b end moves to a
 * random other copy, which ties the copies into one graph while keeping every user's degree and the share of
 * same-region friends as in the base. Seeded: the same arguments give the same files. The likes file's name
 * says {@code synthetic}, so everything loaded from it is labelled synthetic.
 */
public final class ScaledDataset {
    public static final String LIKES_FILE = "lastfm_asia_features.synthetic.json.gz";

    private ScaledDataset() {
    }

    /** Writes the three dataset files into {@code directory}. */
    public static void write(LastFmDataset base, int factor, double rewire, long seed, Path directory) throws IOException {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be at least 1, got " + factor);
        }
        Files.createDirectories(directory);
        int n = base.userCount();
        long idSpan = maxId(base.userIds()) + 1L;
        if (idSpan * factor > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("factor " + factor + " makes user ids beyond the int range");
        }
        try (BufferedWriter users = Files.newBufferedWriter(directory.resolve(DatasetFiles.USERS), StandardCharsets.UTF_8)) {
            users.write("id,target\n");
            for (int c = 0; c < factor; c++) {
                for (int u = 0; u < n; u++) {
                    users.write((c * idSpan + base.userIds()[u]) + "," + base.regions()[u] + "\n");
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        try (BufferedWriter edges = Files.newBufferedWriter(directory.resolve(DatasetFiles.FRIENDSHIPS), StandardCharsets.UTF_8)) {
            edges.write("node_1,node_2\n");
            for (int c = 0; c < factor; c++) {
                for (int e = 0; e < base.friendshipCount(); e++) {
                    int other = factor > 1 && random.nextDouble() < rewire ? random.nextInt(factor) : c;
                    edges.write((c * idSpan + base.userIds()[base.friendA()[e]]) + ","
                            + (other * idSpan + base.userIds()[base.friendB()[e]]) + "\n");
                }
            }
        }
        writeLikes(base, factor, idSpan, directory.resolve(LIKES_FILE));
    }

    private static void writeLikes(LastFmDataset base, int factor, long idSpan, Path file) throws IOException {
        try (OutputStream out = new FastGzip(Files.newOutputStream(file));
             JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            for (int c = 0; c < factor; c++) {
                for (int u = 0; u < base.userCount(); u++) {
                    json.writeFieldName(Long.toString(c * idSpan + base.userIds()[u]));
                    json.writeStartArray();
                    for (int k = base.likeOffsets()[u]; k < base.likeOffsets()[u + 1]; k++) {
                        json.writeNumber(base.likedArtists()[k]);
                    }
                    json.writeEndArray();
                }
            }
            json.writeEndObject();
        }
    }

    private static int maxId(int[] ids) {
        int max = 0;
        for (int id : ids) {
            max = Math.max(max, id);
        }
        return max;
    }

    /** Level 1: the file is written once and read once; speed matters more than its size. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}

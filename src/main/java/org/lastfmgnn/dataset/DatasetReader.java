package org.lastfmgnn.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.lastfmgnn.graph.IntList;

/**
 * Reads and validates the three LastFM Asia files completely before anything is written, so that a bad file
 * leaves the database untouched. Errors name the file and the line (CSV) or key (JSON).
 */
public final class DatasetReader {
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).get();

    private DatasetReader() {
    }

    /** Reads users and friendships from {@code directory}, and likes from {@code likesFile} when not null. */
    public static LastFmDataset read(Path directory, Path likesFile, FeatureSource source) throws IOException {
        Path usersFile = directory.resolve(DatasetFiles.USERS);
        Path friendsFile = directory.resolve(DatasetFiles.FRIENDSHIPS);
        Users users = readUsers(usersFile);
        int[][] friendships = readFriendships(friendsFile, users.indexById);
        Likes likes = likesFile == null
                ? new Likes(new int[users.ids.length + 1], new int[0], new int[0])
                : readLikes(likesFile, users.indexById, users.ids.length);
        return new LastFmDataset(users.ids, users.regions, friendships[0], friendships[1],
                likes.offsets, likes.artists, likes.distinctArtists,
                likesFile == null ? FeatureSource.NONE : source);
    }

    private record Users(int[] ids, int[] regions, Map<Integer, Integer> indexById) {
    }

    private record Likes(int[] offsets, int[] artists, int[] distinctArtists) {
    }

    static Users readUsers(Path file) throws IOException {
        String name = requireFile(file);
        IntList ids = new IntList();
        IntList regions = new IntList();
        Map<Integer, Integer> indexById = new HashMap<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = parse(name, reader, "id", "target")) {
            for (CSVRecord row : parser) {
                String line = "line " + (row.getRecordNumber() + 1);
                requireColumns(name, line, row, 2);
                int id = nonNegativeInt(name, line, row.get("id"), "user id");
                int region = nonNegativeInt(name, line, row.get("target"), "region");
                if (indexById.putIfAbsent(id, ids.size()) != null) {
                    throw new MalformedDataException(name, line, "duplicate user id " + id);
                }
                ids.add(id);
                regions.add(region);
            }
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new MalformedDataException(name, "parsing", e.getMessage(), e);
        }
        if (ids.size() == 0) {
            throw new MalformedDataException(name, "line 2", "no users");
        }
        return new Users(ids.toArray(), regions.toArray(), indexById);
    }

    /** Friendships are mutual and stored once; a reversed or repeated row is the same friendship. */
    static int[][] readFriendships(Path file, Map<Integer, Integer> indexById) throws IOException {
        String name = requireFile(file);
        IntList a = new IntList();
        IntList b = new IntList();
        Set<Long> seen = new HashSet<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = parse(name, reader, "node_1", "node_2")) {
            for (CSVRecord row : parser) {
                String line = "line " + (row.getRecordNumber() + 1);
                requireColumns(name, line, row, 2);
                int u = knownUser(name, line, row.get("node_1"), indexById);
                int v = knownUser(name, line, row.get("node_2"), indexById);
                if (u == v) {
                    throw new MalformedDataException(name, line, "self-friendship of user " + row.get("node_1"));
                }
                long key = ((long) Math.min(u, v) << 32) | Math.max(u, v);
                if (seen.add(key)) {
                    a.add(u);
                    b.add(v);
                }
            }
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new MalformedDataException(name, "parsing", e.getMessage(), e);
        }
        return new int[][] {a.toArray(), b.toArray()};
    }

    /** Streams the {"user id": [artist ids]} object: 3M values parse without building a tree. */
    static Likes readLikes(Path file, Map<Integer, Integer> indexById, int userCount) throws IOException {
        String name = requireFile(file);
        int[][] perUser = new int[userCount][];
        JsonFactory factory = new JsonFactory();
        try (InputStream in = open(file); JsonParser json = factory.createParser(in)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedDataException(name, where(json), "expected a JSON object {\"<user id>\": [artist ids]}");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                String at = "key '" + key + "' (" + where(json) + ")";
                int user = knownUser(name, at, key, indexById);
                if (perUser[user] != null) {
                    throw new MalformedDataException(name, at, "user appears twice");
                }
                if (json.nextToken() != JsonToken.START_ARRAY) {
                    throw new MalformedDataException(name, at, "expected an array of artist ids");
                }
                IntList artists = new IntList();
                for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY; t = json.nextToken()) {
                    if (t != JsonToken.VALUE_NUMBER_INT || json.getNumberType() != JsonParser.NumberType.INT
                            || json.getIntValue() < 0) {
                        throw new MalformedDataException(name, at,
                                "artist ids must be non-negative integers, got " + json.getText());
                    }
                    artists.add(json.getIntValue());
                }
                perUser[user] = distinctSorted(artists.toArray());
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
                throw new MalformedDataException(name, where(json), "unexpected content after the likes object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedDataException(name, where(e), "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new MalformedDataException(name, "end of file", "truncated or corrupt file: " + e.getMessage(), e);
        }
        int[] offsets = new int[userCount + 1];
        for (int u = 0; u < userCount; u++) {
            offsets[u + 1] = offsets[u] + (perUser[u] == null ? 0 : perUser[u].length);
        }
        int[] artists = new int[offsets[userCount]];
        int maxArtist = -1;
        for (int u = 0; u < userCount; u++) {
            if (perUser[u] != null) {
                System.arraycopy(perUser[u], 0, artists, offsets[u], perUser[u].length);
                for (int a : perUser[u]) {
                    maxArtist = Math.max(maxArtist, a);
                }
            }
        }
        boolean[] present = new boolean[maxArtist + 1];
        for (int a : artists) {
            present[a] = true;
        }
        IntList distinct = new IntList();
        for (int a = 0; a < present.length; a++) {
            if (present[a]) {
                distinct.add(a);
            }
        }
        return new Likes(offsets, artists, distinct.toArray());
    }

    private static CSVParser parse(String name, Reader reader, String... columns) throws IOException {
        CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSV).get();
        for (String column : columns) {
            if (!parser.getHeaderMap().containsKey(column)) {
                throw new MalformedDataException(name, "line 1",
                        "header must name the columns " + String.join(",", columns) + ", got " + parser.getHeaderNames());
            }
        }
        return parser;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        // gzip magic, whatever the file is called
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static String requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("File not found: " + file);
        }
        return file.getFileName().toString();
    }

    private static void requireColumns(String name, String line, CSVRecord row, int n) {
        if (row.size() != n) {
            throw new MalformedDataException(name, line, "expected " + n + " columns, got " + row.size());
        }
    }

    private static int nonNegativeInt(String name, String where, String text, String what) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new MalformedDataException(name, where, what + " must be a non-negative integer, got '" + text + "'");
    }

    private static int knownUser(String name, String where, String text, Map<Integer, Integer> indexById) {
        Integer index = indexById.get(nonNegativeInt(name, where, text, "user id"));
        if (index == null) {
            throw new MalformedDataException(name, where, "unknown user id " + text + " (not in " + DatasetFiles.USERS + ")");
        }
        return index;
    }

    private static int[] distinctSorted(int[] values) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    private static String where(JsonParser json) {
        return "line " + json.currentLocation().getLineNr() + ", column " + json.currentLocation().getColumnNr();
    }

    private static String where(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "unknown position"
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}

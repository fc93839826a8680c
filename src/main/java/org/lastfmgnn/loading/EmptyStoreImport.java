package org.lastfmgnn.loading;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.lastfmgnn.catalog.CrashPoints;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.files.Folders;
import org.lastfmgnn.store.GraphModel;
import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;

/**
 * The first load into a Neo4j home that has no database yet, through Neo4j's own offline importer
 * ({@code neo4j-admin database import full}, the documented way to fill an empty database), before the server
 * starts: it writes store files directly instead of committing transactions, several times faster than
 * {@link DatasetWriter}. It writes the same graph {@code lastfm.load} would (users with {@code id} and
 * {@code region}, {@code FRIEND} once per friendship from its first user, artists, {@code LIKES}); the
 * {@code lastfm.load} that follows then validates everything against the files, creates the constraints and the
 * dataset record, and finds nothing else to write.
 *
 * <p>Never half-written: the importer fills a staging home beside the real one, and the database directory and its
 * transaction logs are moved into place only when it succeeded, under a marker file; a run killed between the two
 * moves leaves the marker, and the next {@link #prepare} removes the partial database (which nothing else can have
 * written, since the server never started on it) and starts again.
 */
public final class EmptyStoreImport {
    private static final String DATABASE = "neo4j";
    private static final String MARKER = "lastfm-import-in-progress";

    /** What the import wrote. */
    public record Result(long nodes, long relationships, long millis) {
        public double relationshipsPerSecond() {
            return relationships / Math.max(0.001, millis / 1000.0);
        }
    }

    private final Path home;

    /** @param home the Neo4j home the server will start on ({@code data/databases} and {@code data/transactions} under it) */
    public EmptyStoreImport(Path home) {
        this.home = home;
    }

    /**
     * Clears what an import killed between its two moves left, then says whether the home has no database yet (and so
     * may be imported into).
     */
    public boolean prepare() throws IOException {
        if (Files.exists(home.resolve(MARKER))) {
            Folders.deleteTree(databaseDirectory(home));
            Folders.deleteTree(transactionsDirectory(home));
            Files.delete(home.resolve(MARKER));
        }
        Folders.deleteTree(staging());
        // no database at all, not even the system database: a home the server has never started on
        return isEmptyOrAbsent(databaseDirectory(home).getParent()) && isEmptyOrAbsent(transactionsDirectory(home).getParent());
    }

    private static boolean isEmptyOrAbsent(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * Imports {@code data}; call only when {@link #prepare} said the home is empty, and before the server starts.
     *
     * @param log where the importer's own report goes (its stages, memory, progress dots)
     */
    public Result run(LastFmDataset data, PrintStream log) throws IOException {
        long start = System.nanoTime();
        Path staging = staging();
        Path csv = Files.createDirectories(staging.resolve("csv"));
        writeCsv(data, csv);
        Files.createDirectories(staging.resolve("conf"));
        int status = AdminTool.execute(new ExecutionContext(staging, staging.resolve("conf"), log, log,
                        new DefaultFileSystemAbstraction()),
                "database", "import", "full", DATABASE,
                "--nodes=" + GraphModel.USER.name() + "=" + csv.resolve("users.csv"),
                "--nodes=" + GraphModel.ARTIST.name() + "=" + csv.resolve("artists.csv"),
                "--relationships=" + GraphModel.FRIEND.name() + "=" + csv.resolve("friendships.csv"),
                "--relationships=" + GraphModel.LIKES.name() + "=" + csv.resolve("likes.csv"),
                // the server starts in this process right after: leave it most of the memory
                "--max-off-heap-memory=25%",
                "--report-file=" + staging.resolve("import.report"),
                "--id-type=INTEGER", // the ids below are indices: no string hashing
                "--bad-tolerance=0");
        if (status != 0) {
            throw new IOException("Neo4j's importer failed (exit status " + status + "); its output is above, its report in "
                    + staging.resolve("import.report"));
        }
        Files.createDirectories(databaseDirectory(home).getParent());
        Files.createDirectories(transactionsDirectory(home).getParent());
        Files.writeString(home.resolve(MARKER), "an import is being moved into place\n");
        Files.move(databaseDirectory(staging), databaseDirectory(home), StandardCopyOption.ATOMIC_MOVE);
        CrashPoints.reached("importMoving");
        Files.move(transactionsDirectory(staging), transactionsDirectory(home), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(home.resolve(MARKER));
        Folders.deleteTree(staging);
        long nodes = data.userCount() + data.artistCount();
        long relationships = data.friendshipCount() + data.likeCount();
        return new Result(nodes, relationships, (System.nanoTime() - start) / 1_000_000);
    }

    private Path staging() {
        return home.resolve("import-staging");
    }

    private static Path databaseDirectory(Path home) {
        return home.resolve("data").resolve("databases").resolve(DATABASE);
    }

    private static Path transactionsDirectory(Path home) {
        return home.resolve("data").resolve("transactions").resolve(DATABASE);
    }

    /** The importer's CSV: ids in their own id spaces, properties typed as {@link DatasetWriter} stores them (longs). */
    private static void writeCsv(LastFmDataset data, Path dir) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("users.csv"), StandardCharsets.US_ASCII)) {
            out.write(":ID(User),id:long,region:long\n");
            for (int u = 0; u < data.userCount(); u++) {
                out.write(u + "," + data.userIds()[u] + "," + data.regions()[u] + "\n");
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("artists.csv"), StandardCharsets.US_ASCII)) {
            out.write(":ID(Artist),id:long\n");
            for (int id : data.artistIds()) {
                out.write(id + "," + id + "\n");
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("friendships.csv"), StandardCharsets.US_ASCII)) {
            out.write(":START_ID(User),:END_ID(User)\n");
            for (int e = 0; e < data.friendshipCount(); e++) {
                out.write(data.friendA()[e] + "," + data.friendB()[e] + "\n");
            }
        }
        int[] offsets = data.likeOffsets();
        int[] artists = data.likedArtists();
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("likes.csv"), StandardCharsets.US_ASCII)) {
            out.write(":START_ID(User),:END_ID(Artist)\n");
            StringBuilder line = new StringBuilder();
            for (int u = 0; u < data.userCount(); u++) {
                for (int i = offsets[u]; i < offsets[u + 1]; i++) {
                    line.setLength(0);
                    out.append(line.append(u).append(',').append(artists[i]).append('\n'));
                }
            }
        }
    }
}

package org.lastfmgnn.loading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lastfmgnn.catalog.CrashPoints;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.server.EmbeddedServer;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/**
 * The first load through Neo4j's offline importer, checked on a real server started on the imported store: the
 * graph is the one the files describe, to every user's region, friendship direction and likes, with the property
 * types {@code lastfm.load} writes, so that {@code lastfm.load} afterwards finds nothing missing. And an import
 * stopped dead between moving its database and its transaction logs into place (a real process, halted) is cleared
 * and redone by the next start instead of leaving a store Neo4j cannot open.
 */
class EmptyStoreImportTest {
    private static final String PASSWORD = "empty-store-import";

    @TempDir
    Path tmp;

    @Test
    void anImportHaltedMidwayIsRedoneAndTheServerFindsExactlyTheFilesGraph() throws Exception {
        Path home = tmp.resolve("store");
        Path imports = Files.createDirectories(home.resolve("import"));
        for (String file : new String[] {DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS, DatasetFiles.SYNTHETIC_FEATURES}) {
            Files.copy(TestNeo4j.DATA.resolve(file), imports.resolve(file));
        }

        // a real process halted between the two moves: the database is in place, its transaction logs are not
        Process halted = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + CrashPoints.PROPERTY + "=importMoving", "-cp", testClassPath(), ImportInChildProcess.class.getName(),
                home.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        assertThat(halted.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(halted.exitValue()).as(Files.readString(tmp.resolve("child.log"))).isEqualTo(137);
        assertThat(home.resolve("data/databases/neo4j")).exists();
        assertThat(home.resolve("data/transactions/neo4j")).doesNotExist();

        EmptyStoreImport importer = new EmptyStoreImport(home);
        assertThat(importer.prepare()).as("the half-moved import is cleared, the home is empty again").isTrue();
        assertThat(home.resolve("data/databases/neo4j")).doesNotExist();
        LastFmDataset data = read(imports);
        EmptyStoreImport.Result result = importer.run(data, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(result.relationships()).isEqualTo(27_806L + 3_012_680L);
        assertThat(result.nodes()).isEqualTo(7_624L + 7_842L);
        assertThat(importer.prepare()).as("a home with a database is never imported into").isFalse();
        assertThat(home.resolve("import-staging")).doesNotExist();

        int bolt = freePort();
        try (EmbeddedServer server = EmbeddedServer.start(
                new EmbeddedServer.Settings(home, imports, bolt, freePort(), "256m"), PASSWORD);
             Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.basic("neo4j", PASSWORD));
             Session session = driver.session()) {
            Record load = session.run("CALL lastfm.load({features: 'synthetic'})").single();
            assertThat(load.get("relationshipsCreated").asLong()).as("lastfm.load finds every relationship").isZero();
            assertThat(load.get("propertiesSet").asLong()).as("every region is there, as an integer").isZero();
            assertThat(load.get("nodesCreated").asLong()).as("only the dataset record is new").isEqualTo(1);

            Map<Long, Integer> index = new HashMap<>();
            for (int u = 0; u < data.userCount(); u++) {
                index.put((long) data.userIds()[u], u);
            }
            List<Record> users = session.run("MATCH (u:User) OPTIONAL MATCH (u)-[:LIKES]->(a:Artist) "
                    + "RETURN u.id AS id, u.region AS region, valueType(u.id) + valueType(u.region) AS types, "
                    + "count(a) AS likes, sum(a.id) AS artistIdSum").list();
            assertThat(users).hasSize(data.userCount());
            for (Record user : users) {
                int u = index.get(user.get("id").asLong());
                assertThat(user.get("types").asString()).isEqualTo("INTEGER NOT NULLINTEGER NOT NULL");
                assertThat(user.get("region").asLong()).isEqualTo(data.regions()[u]);
                long sum = 0;
                for (int i = data.likeOffsets()[u]; i < data.likeOffsets()[u + 1]; i++) {
                    sum += data.likedArtists()[i];
                }
                assertThat(user.get("likes").asLong()).isEqualTo(data.likeOffsets()[u + 1] - data.likeOffsets()[u]);
                assertThat(user.get("artistIdSum").asLong()).as("user %d's artists", user.get("id").asLong()).isEqualTo(sum);
            }
            Set<List<Long>> expected = new HashSet<>();
            for (int e = 0; e < data.friendshipCount(); e++) {
                expected.add(List.of((long) data.userIds()[data.friendA()[e]], (long) data.userIds()[data.friendB()[e]]));
            }
            Set<List<Long>> stored = new HashSet<>();
            session.run("MATCH (a:User)-[:FRIEND]->(b:User) RETURN a.id AS a, b.id AS b")
                    .forEachRemaining(r -> stored.add(List.of(r.get("a").asLong(), r.get("b").asLong())));
            assertThat(stored).as("each friendship once, from its first user").isEqualTo(expected);
            assertThat(session.run("MATCH (a:Artist) RETURN count(a) AS n, sum(a.id) AS s, "
                    + "count(DISTINCT valueType(a.id)) AS types").single().asMap())
                    .isEqualTo(Map.of("n", (long) data.artistCount(), "s", sumOf(data.artistIds()), "types", 1L));
        }
    }

    private static LastFmDataset read(Path imports) throws java.io.IOException {
        return DatasetReader.read(imports, imports.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC);
    }

    private static long sumOf(int[] values) {
        long sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Surefire runs this class from a manifest-only jar; the real class path is in its own property. */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The import in a process of its own, so that a crash point can stop it dead. */
    public static final class ImportInChildProcess {
        public static void main(String[] args) throws Exception {
            Path home = Path.of(args[0]);
            EmptyStoreImport importer = new EmptyStoreImport(home);
            if (!importer.prepare()) {
                throw new IllegalStateException("not empty: " + home);
            }
            importer.run(read(home.resolve("import")), System.out);
        }
    }
}

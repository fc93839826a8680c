package org.lastfmgnn.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.server.EmbeddedServer;
import org.lastfmgnn.server.ProcedureClasses;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A real Neo4j (the test harness) with our procedures and GDS registered, an import directory of its own,
 * and a Bolt driver: tests speak to it the way users do.
 */
public final class TestNeo4j implements AutoCloseable {
    /** The repository's data folder. */
    public static final Path DATA = Path.of("data").toAbsolutePath();

    private final Neo4j neo4j;
    private final Driver driver;
    private final Path importDir;

    private TestNeo4j(Neo4j neo4j, Path importDir) {
        this.neo4j = neo4j;
        this.importDir = importDir;
        this.driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none(),
                Config.builder().withoutEncryption().build());
    }

    public static TestNeo4j start() throws IOException {
        Path importDir = Files.createTempDirectory("lastfm-import");
        EmbeddedServer.withoutJolAgent(); // GDS's first projection, as in the launcher's server
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder()
                .withDisabledServer()
                .withConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .withConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*", "lastfm.*"))
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        ProcedureClasses.procedures().forEach(builder::withProcedure);
        ProcedureClasses.functions().forEach(builder::withFunction);
        ProcedureClasses.aggregationFunctions().forEach(builder::withAggregationFunction);
        return new TestNeo4j(builder.build(), importDir);
    }

    /** The database, for tests that drive a service directly beside the procedures. */
    public org.neo4j.graphdb.GraphDatabaseService database() {
        return neo4j.defaultDatabaseService();
    }

    public Path importDir() {
        return importDir;
    }

    /** Copies the named files of data/ into {@code folder} of the import directory (created if needed). */
    public Path stage(String folder, String... files) throws IOException {
        Path target = importDir.resolve(folder);
        Files.createDirectories(target);
        for (String file : files) {
            Files.copy(DATA.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Where Bolt clients reach this server (it has no authentication: any user name and password pass). */
    public String boltUri() {
        return neo4j.boltURI().toString();
    }

    public Driver driver() {
        return driver;
    }

    public List<Record> run(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.run(cypher, params).list();
        }
    }

    public List<Record> run(String cypher) {
        return run(cypher, Map.of());
    }

    public long count(String cypher, Map<String, Object> params) {
        return run(cypher, params).get(0).get(0).asLong();
    }

    public long count(String cypher) {
        return run(cypher).get(0).get(0).asLong();
    }

    /** Node and relationship counts by label and type: what "the graph is unchanged" compares. */
    public Map<String, Long> shape() {
        return Map.of(
                "users", count("MATCH (n:User) RETURN count(n)"),
                "artists", count("MATCH (n:Artist) RETURN count(n)"),
                "nodes", count("MATCH (n) RETURN count(n)"),
                "friendships", count("MATCH ()-[r:FRIEND]->() RETURN count(r)"),
                "likes", count("MATCH ()-[r:LIKES]->() RETURN count(r)"),
                "relationships", count("MATCH ()-[r]->() RETURN count(r)"));
    }

    @Override
    public void close() {
        driver.close();
        neo4j.close();
    }
}

package org.lastfmgnn.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;
import org.neo4j.driver.exceptions.ClientException;

/** lastfm.load against a real Neo4j, through Bolt; the tests build on each other's graph, in order. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadProcedureTest {
    private TestNeo4j neo4j;

    @BeforeAll
    void start() throws IOException {
        neo4j = TestNeo4j.start();
        neo4j.stage("lastfm", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS, DatasetFiles.SYNTHETIC_FEATURES);
    }

    @AfterAll
    void stop() {
        neo4j.close();
    }

    @Test
    @Order(1)
    void loadsUsersAndFriendshipsWithoutFeatures() {
        Record r = load(Map.of("directory", "lastfm", "features", "none"));
        assertThat(r.get("users").asLong()).isEqualTo(7_624);
        assertThat(r.get("friendships").asLong()).isEqualTo(27_806);
        assertThat(r.get("artists").asLong()).isZero();
        assertThat(r.get("likes").asLong()).isZero();
        assertThat(r.get("featureSource").asString()).isEqualTo("none");
        assertThat(r.get("relationshipsCreated").asLong()).isEqualTo(27_806);
        assertThat(neo4j.shape()).containsEntry("users", 7_624L).containsEntry("friendships", 27_806L);
        // Friendships are stored once each and every reader treats them as undirected.
        assertThat(neo4j.count("MATCH (a:User)-[:FRIEND]-(b:User) RETURN count(*)")).isEqualTo(55_612);
        assertThat(neo4j.count("MATCH (u:User {id: 0}) RETURN u.region")).isEqualTo(8);
        assertThat(neo4j.run("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names").get(0).get("names").asList())
                .contains("lastfm_user_id", "lastfm_artist_id");
    }

    @Test
    @Order(2)
    void aSecondLoadChangesNothing() {
        Map<String, Long> before = neo4j.shape();
        Record r = load(Map.of("directory", "lastfm", "features", "none"));
        assertThat(r.get("nodesCreated").asLong()).isZero();
        assertThat(r.get("relationshipsCreated").asLong()).isZero();
        assertThat(r.get("propertiesSet").asLong()).isZero();
        assertThat(neo4j.shape()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aMalformedFileIsNamedAndNothingIsWritten() throws IOException {
        Map<String, Long> before = neo4j.shape();
        Path bad = neo4j.stage("bad", DatasetFiles.USERS);
        List<String> edges = Files.readAllLines(TestNeo4j.DATA.resolve(DatasetFiles.FRIENDSHIPS));
        edges.set(20_000, "7000,99999");
        Files.write(bad.resolve(DatasetFiles.FRIENDSHIPS), edges);
        Files.writeString(bad.resolve("likes.json"), "{\"0\": [1, 2], \"1\": [3, -4]}");

        assertThatThrownBy(() -> load(Map.of("directory", "bad", "features", "none")))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("lastfm_asia_edges.csv, line 20001: unknown user id 99999");
        Files.write(bad.resolve(DatasetFiles.FRIENDSHIPS), List.of("node_1,node_2", "0,747"));
        assertThatThrownBy(() -> load(Map.of("directory", "bad", "features", "likes.json")))
                .hasMessageContaining("likes.json, key '1'").hasMessageContaining("got -4");
        assertThat(neo4j.shape()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void pathsOutsideTheImportDirectoryAreRefused() {
        for (String escape : new String[] {"..", "../../etc", "/tmp"}) {
            assertThatThrownBy(() -> load(Map.of("directory", escape)))
                    .hasMessageContaining("outside Neo4j's import directory");
        }
        assertThatThrownBy(() -> load(Map.of("directory", "lastfm", "features", "../../../etc/passwd")))
                .hasMessageContaining("outside Neo4j's import directory");
        assertThatThrownBy(() -> load(Map.of("directory", "nowhere")))
                .hasMessageContaining("directory 'nowhere' does not exist");
    }

    @Test
    @Order(5)
    void badConfigIsNamed() {
        assertThatThrownBy(() -> load(Map.of("directroy", "lastfm")))
                .hasMessageContaining("unknown configuration key 'directroy' (did you mean 'directory'?)")
                .hasMessageContaining("[batchSize, directory, features]");
        assertThatThrownBy(() -> load(Map.of("batchSize", 0)))
                .hasMessageContaining("'batchSize' must be between 1 and 1000000, got 0");
        assertThatThrownBy(() -> load(Map.of("features", "real-ones.json")))
                .hasMessageContaining("features 'real-ones.json': no such file");
    }

    @Test
    @Order(6)
    void loadsTheSyntheticLikesOnceAndLabelsThem() {
        Record r = load(Map.of("directory", "lastfm", "features", "synthetic", "batchSize", 100_000));
        assertThat(r.get("artists").asLong()).isEqualTo(7_842);
        assertThat(r.get("likes").asLong()).isEqualTo(3_012_680);
        assertThat(r.get("featureSource").asString()).isEqualTo("synthetic");
        assertThat(r.get("relationshipsCreated").asLong()).isEqualTo(3_012_680);
        // the rate is what was created over the time the writes took (reading the files is timed apart)
        assertThat(r.get("relationshipsPerSecond").asDouble()).isCloseTo(
                1000.0 * r.get("relationshipsCreated").asLong() / r.get("writeMillis").asLong(), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(r.get("loadMillis").asLong()).isGreaterThanOrEqualTo(r.get("readMillis").asLong() + r.get("writeMillis").asLong() - 1);
        assertThat(neo4j.shape()).containsEntry("artists", 7_842L).containsEntry("likes", 3_012_680L)
                .containsEntry("users", 7_624L).containsEntry("friendships", 27_806L);
        assertThat(neo4j.run("MATCH (d:LastFmDataset) RETURN d.featureSource AS s").get(0).get("s").asString())
                .isEqualTo("synthetic");

        Map<String, Long> before = neo4j.shape();
        Record again = load(Map.of("directory", "lastfm", "features", "synthetic", "batchSize", 100_000));
        assertThat(again.get("relationshipsCreated").asLong()).isZero();
        assertThat(again.get("nodesCreated").asLong()).isZero();
        assertThat(neo4j.shape()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void likesFromAnotherSourceAreNotMixedIn() throws IOException {
        Map<String, Long> before = neo4j.shape();
        Files.writeString(neo4j.importDir().resolve("lastfm/other.json"), "{\"0\": [1, 2]}");
        assertThatThrownBy(() -> load(Map.of("directory", "lastfm", "features", "other.json")))
                .hasMessageContaining("already holds LIKES loaded from 'synthetic'")
                .hasMessageContaining("'unverified'");
        assertThat(neo4j.shape()).isEqualTo(before);
    }

    private Record load(Map<String, Object> config) {
        return neo4j.run("CALL lastfm.load($config)", Map.of("config", config)).get(0);
    }
}

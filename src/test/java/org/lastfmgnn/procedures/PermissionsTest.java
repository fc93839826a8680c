package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * What a read-only client can do. Neo4j Community has no roles (the reader role is Enterprise's), but the rule a
 * reader is held to is the same one: a READ transaction may call READ procedures only, and Neo4j refuses a
 * WRITE or SCHEMA procedure in it before the procedure runs. A Bolt session in READ access mode is such a
 * transaction, so these tests show what a reader gets: every stream, no write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionsTest {
    private TestNeo4j neo4j;
    private Map<String, Long> before;
    private long predictionsBefore;

    @BeforeAll
    void start() throws IOException {
        neo4j = TestNeo4j.start();
        neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
        neo4j.run("CALL lastfm.load({features: 'none'})");
        neo4j.run("CALL lastfm.gnn.train({model: 'gcn', folds: 2, epochs: 10, mlpBaseline: false})");
        neo4j.run("MATCH (u:User) WHERE u.id < 10 REMOVE u.region"); // predict applies to users without a region
        before = neo4j.shape();
        predictionsBefore = neo4j.count("MATCH (u:User) WHERE u.predictionRun IS NOT NULL RETURN count(u)");
    }

    @AfterAll
    void stop() {
        neo4j.close();
    }

    @Test
    void aReadOnlyClientStreamsPredictionsExplanationsAndSuggestions() {
        try (Session reader = readSession()) {
            assertThat(reader.run("CALL lastfm.gnn.predict.stream('gcn-region') YIELD userId RETURN count(*) AS n")
                    .single().get("n").asLong()).isEqualTo(10);
            Record explanation = reader.run("CALL lastfm.explain.stream(1005, {epochs: 20})").single();
            assertThat(explanation.get("edges").asList()).isNotEmpty();
            assertThat(reader.run("CALL lastfm.recommend.friends.stream(1005, {k: 5}) YIELD userId RETURN count(*) AS n")
                    .single().get("n").asLong()).isEqualTo(5);
            assertThat(reader.run("CALL lastfm.gnn.models() YIELD modelName RETURN collect(modelName) AS n").single().get("n")
                    .asList()).containsExactly("gcn-region");
            assertThat(reader.run("CALL lastfm.gnn.train.estimate({}) YIELD bytesMax RETURN bytesMax").single()
                    .get("bytesMax").asLong()).as("a reader gets the estimate a writer gets")
                    .isEqualTo(neo4j.run("CALL lastfm.gnn.train.estimate({}) YIELD bytesMax RETURN bytesMax").get(0)
                            .get("bytesMax").asLong());
        }
        assertThat(neo4j.shape()).isEqualTo(before);
    }

    @Test
    void aReadOnlyClientCannotWriteThroughAnyProcedure() {
        List<String> writes = List.of(
                "CALL lastfm.load({features: 'none'})",
                "CALL lastfm.gnn.train({folds: 2, epochs: 2})",
                "CALL lastfm.gnn.predict('gcn-region')",
                "CALL lastfm.explain(1005, {write: true, epochs: 5})",
                "CALL lastfm.recommend.friends(1005, {write: true})",
                "CALL lastfm.gnn.drop('gcn-region')");
        try (Session reader = readSession()) {
            for (String call : writes) {
                assertThatThrownBy(() -> reader.run(call).consume()).as(call)
                        .hasMessageContaining("not allowed");
            }
        }
        assertThat(neo4j.shape()).isEqualTo(before);
        assertThat(neo4j.count("MATCH (u:User) WHERE u.predictionRun IS NOT NULL RETURN count(u)")).isEqualTo(predictionsBefore);
        assertThat(neo4j.count("MATCH ()-[r:INFLUENCES|SUGGESTED_FRIEND]->() RETURN count(r)")).isZero();
        assertThat(neo4j.run("CALL lastfm.gnn.models() YIELD modelName RETURN collect(modelName) AS m").get(0)
                .get("m").asList()).contains("gcn-region");
    }

    @Test
    void theStreamVariantsRefuseTheWriteOption() {
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain.stream(1005, {write: true})"))
                .hasMessageContaining("write").hasMessageContaining("epochs");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.recommend.friends.stream(1005, {write: true})"))
                .hasMessageContaining("write").hasMessageContaining("k");
    }

    private Session readSession() {
        return neo4j.driver().session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build());
    }
}

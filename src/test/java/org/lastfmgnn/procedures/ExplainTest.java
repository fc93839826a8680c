package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
import org.neo4j.driver.Value;

/** GAT attention on the friendships and GNNExplainer explanations, through Bolt. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplainTest {
    private TestNeo4j neo4j;

    @BeforeAll
    void start() throws IOException {
        neo4j = TestNeo4j.start();
        neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
        neo4j.run("CALL lastfm.load({features: 'none'})");
        neo4j.run("CALL lastfm.gnn.train({model: 'gat', folds: 2, epochs: 20, mlpBaseline: false})");
    }

    @AfterAll
    void stop() {
        neo4j.close();
    }

    @Test
    @Order(1)
    void everyFriendshipCarriesBothAttentionWeightsAndTheyAreASoftmax() {
        assertThat(neo4j.count("MATCH ()-[r:FRIEND]->() WHERE r.attentionForward IS NULL OR r.attentionBackward IS NULL RETURN count(r)"))
                .isZero();
        assertThat(neo4j.count("MATCH ()-[r:FRIEND]->() WHERE r.attentionModel = 'gat-region' AND size(r.attentionHeads) = 8 RETURN count(r)"))
                .isEqualTo(27_806);
        // what 1005 receives (its self-loop and every friend's message) sums to one
        double total = neo4j.run("""
                MATCH (u:User {id: 1005})
                OPTIONAL MATCH (a)-[in:FRIEND]->(u) WITH u, sum(in.attentionForward) AS fromIn
                OPTIONAL MATCH (u)-[out:FRIEND]->(b) WITH u, fromIn, sum(out.attentionBackward) AS fromOut
                RETURN u.selfAttention + fromIn + fromOut AS total""").get(0).get("total").asDouble();
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    @Order(2)
    void explainGivesImportantEdgesAndFeaturesAndWritesInfluences() {
        Record r = explain(Map.of("write", true, "epochs", 60));
        assertThat(r.get("userId").asLong()).isEqualTo(1005);
        assertThat(r.get("modelName").asString()).isEqualTo("gat-region");
        assertThat(r.get("probability").asDouble()).isBetween(0.0, 1.0);
        List<Map<String, Object>> edges = r.get("edges").asList(Value::asMap);
        assertThat(edges).hasSize(10);
        assertThat(edges).allSatisfy(e -> assertThat(((Number) e.get("importance")).doubleValue()).isBetween(0.0, 1.0));
        assertThat(((Number) edges.get(0).get("importance")).doubleValue())
                .isGreaterThanOrEqualTo(((Number) edges.get(9).get("importance")).doubleValue());
        assertThat(r.get("features").asList(Value::asMap)).isNotEmpty();
        assertThat(r.get("subgraphEdges").asLong()).isGreaterThan(10);
        System.out.println("EXPLAIN 1005: " + r.asMap());
        assertThat(neo4j.count("MATCH ()-[i:INFLUENCES {explainedUser: 1005}]->() RETURN count(i)")).isEqualTo(10);
        // influences point along the message direction, towards 1005 or its friends
        assertThat(neo4j.count("""
                MATCH (s)-[i:INFLUENCES {explainedUser: 1005}]->(t)
                WHERE NOT (s)-[:FRIEND]-(t) RETURN count(i)""")).isZero();

        explain(Map.of("write", true, "epochs", 10, "topK", 3));
        assertThat(neo4j.count("MATCH ()-[i:INFLUENCES {explainedUser: 1005}]->() RETURN count(i)")).as("replaced").isEqualTo(3);
    }

    @Test
    @Order(3)
    void badInputIsNamed() {
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(424242)")).hasMessageContaining("No user with id 424242");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(1005, {modelName: 'nope'})")).hasMessageContaining("No model named 'nope'");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(1005, {epoch: 3})")).hasMessageContaining("did you mean 'epochs'");
    }

    @Test
    @Order(4)
    void globalImportanceCoversEveryFeatureAndEdgeType() {
        List<Record> rows = neo4j.run("CALL lastfm.explain.global({sample: 3, epochs: 5})");
        assertThat(rows.stream().filter(r -> r.get("kind").asString().equals("feature"))).hasSize(3 * 19 + 2);
        assertThat(rows.stream().filter(r -> r.get("kind").asString().equals("edgeType"))).hasSize(4);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("users").asLong()).isEqualTo(3);
            assertThat(r.get("importance").asDouble()).isBetween(0.0, 1.0);
        });
    }

    @Test
    @Order(5)
    void explanationsRunSideBySideAndGiveWhatTheyGiveAlone() throws Exception {
        Map<String, Object> alone = explain(Map.of("epochs", 15)).asMap();
        List<java.util.concurrent.CompletableFuture<Record>> parallel = new java.util.ArrayList<>();
        for (long user : List.of(1005L, 0L, 7237L, 1005L)) {
            parallel.add(java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    neo4j.run("CALL lastfm.explain($u, {epochs: 15})", Map.of("u", user)).get(0)));
        }
        for (var future : parallel) {
            assertThat(future.get(5, java.util.concurrent.TimeUnit.MINUTES).get("edges").size()).isBetween(1, 10);
        }
        Map<String, Object> together = parallel.get(0).get().asMap();
        assertThat(together.get("edges")).isEqualTo(alone.get("edges"));
        assertThat(together.get("features")).isEqualTo(alone.get("features"));
    }

    @Test
    @Order(6)
    void theBrowserQueriesRun() throws IOException {
        for (String file : List.of("attention_1005.cypher", "explanation_1005.cypher")) {
            String query = java.nio.file.Files.readString(java.nio.file.Path.of("cypher/browser", file))
                    .replaceAll("(?m)^//.*$", "").trim().replaceAll(";$", "");
            assertThat(neo4j.run(query)).as(file).isNotEmpty();
        }
    }

    private Record explain(Map<String, Object> config) {
        return neo4j.run("CALL lastfm.explain(1005, $c)", Map.of("c", config)).get(0);
    }
}

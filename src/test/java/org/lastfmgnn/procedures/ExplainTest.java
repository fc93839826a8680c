package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
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

/** GAT attention on the friendships, explanations of served predictions and their evaluation, through Bolt. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplainTest {
    private TestNeo4j neo4j;

    @BeforeAll
    void start() throws IOException {
        neo4j = TestNeo4j.start();
        neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
        neo4j.run("CALL lastfm.load({features: 'none'})");
        // the explanations need the model only: no baselines, and then only the untrained rules are reported
        Record gat = neo4j.run("CALL lastfm.gnn.train({model: 'gat', folds: 2, epochs: 20, baselines: false})").get(0);
        assertThat(gat.get("baselines").asMap().keySet()).containsExactlyInAnyOrder("neighborMajority", "majorityClass");
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
        assertThat(total).isCloseTo(1.0, Offset.offset(1e-4));
    }

    @Test
    @Order(2)
    void explainGivesImportantEdgesAndTheUsersOwnInputsAndWritesInfluences() {
        Record r = explain(1005, Map.of("write", true));
        assertThat(r.get("userId").asLong()).isEqualTo(1005);
        assertThat(r.get("modelName").asString()).isEqualTo("gat-region");
        assertThat(r.get("method").asString()).isEqualTo("gradient");
        List<Map<String, Object>> edges = r.get("edges").asList(Value::asMap);
        assertThat(edges).hasSize(10);
        for (int i = 1; i < edges.size(); i++) {
            assertThat(((Number) edges.get(i - 1).get("importance")).doubleValue())
                    .isGreaterThanOrEqualTo(((Number) edges.get(i).get("importance")).doubleValue());
        }
        // only the inputs 1005 has: its two degree features (its own region is what is explained: not an input)
        assertThat(r.get("features").asList(v -> v.get("feature").asString()))
                .containsExactlyInAnyOrder("logDegree", "inverseSqrtDegree");
        assertThat(r.get("subgraphEdges").asLong()).isGreaterThan(100);
        assertThat(r.get("fidelityPlus").isNull()).isFalse();
        System.out.println("EXPLAIN 1005: " + r.asMap());
        assertThat(neo4j.count("MATCH ()-[i:INFLUENCES {explainedUser: 1005}]->() RETURN count(i)")).isEqualTo(10);
        // influences point along the message direction, towards 1005 or its friends
        assertThat(neo4j.count("""
                MATCH (s)-[i:INFLUENCES {explainedUser: 1005}]->(t)
                WHERE NOT (s)-[:FRIEND]-(t) RETURN count(i)""")).isZero();
        explain(1005, Map.of("write", true, "topK", 3));
        assertThat(neo4j.count("MATCH ()-[i:INFLUENCES {explainedUser: 1005}]->() RETURN count(i)")).as("replaced").isEqualTo(3);
    }

    @Test
    @Order(3)
    void theExplainedPredictionIsTheOneUsersAreServed() {
        // served: the saved model with its refinement, every other user's region as input. Take 1005's region away
        // and predict.stream serves 1005 from exactly those inputs.
        Record explained = explain(1005, Map.of("method", "random"));
        long region = neo4j.count("MATCH (u:User {id: 1005}) RETURN u.region");
        try {
            neo4j.run("MATCH (u:User {id: 1005}) REMOVE u.region");
            Record served = neo4j.run("CALL lastfm.gnn.predict.stream('gat-region') YIELD userId, predictedRegion, probability "
                    + "WHERE userId = 1005 RETURN predictedRegion, probability").get(0);
            assertThat(explained.get("predictedRegion").asLong()).isEqualTo(served.get("predictedRegion").asLong());
            assertThat(explained.get("probability").asDouble()).isCloseTo(served.get("probability").asDouble(), Offset.offset(1e-5));
        } finally {
            neo4j.run("MATCH (u:User {id: 1005}) SET u.region = $r", Map.of("r", region));
        }
    }

    @Test
    @Order(4)
    void everyMethodExplainsAndAttentionNeedsAGat() {
        for (String method : List.of("random", "saliency", "gradient", "integratedGradients", "occlusion", "attention", "gnnExplainer")) {
            Record r = explain(0, Map.of("method", method, "epochs", 30));
            assertThat(r.get("method").asString()).isEqualTo(method);
            assertThat(r.get("edges").size()).as(method).isBetween(1, 10);
        }
        neo4j.run("CALL lastfm.gnn.train({model: 'labelFeatureMlp', modelName: 'lfmlp', folds: 2, epochs: 5, baselines: false, write: true})");
        assertThatThrownBy(() -> explain(0, Map.of("method", "attention", "modelName", "lfmlp")))
                .hasMessageContaining("'attention' explains GAT models only");
    }

    @Test
    @Order(5)
    void evaluateComparesTheMethodsOnTheSameUsersAndKeepsDegenerateCasesApart() {
        List<Record> rows = neo4j.run("""
                CALL lastfm.explain.evaluate({modelName: 'gat-region', sample: 12, methods: ['random', 'saliency', 'occlusion'],
                                              sparsity: [1, 10, 0.1], epochs: 20})""");
        assertThat(rows).hasSize(9);
        for (Record r : rows) {
            assertThat(r.get("users").asLong() + r.get("usersExcluded").asLong()).as(r.asMap().toString()).isEqualTo(12);
            assertThat(r.get("fidelityPlusLow").asDouble()).isLessThanOrEqualTo(r.get("fidelityPlus").asDouble());
            assertThat(r.get("fidelityPlusHigh").asDouble()).isGreaterThanOrEqualTo(r.get("fidelityPlus").asDouble());
        }
        // top-10 removes every candidate of a user with at most 10: such users are counted apart, never compared
        long excludedAt10 = rows.stream().filter(r -> r.get("sparsity").asString().equals("top-10"))
                .mapToLong(r -> r.get("usersExcluded").asLong()).distinct().count();
        assertThat(excludedAt10).as("the same users are set apart for every method").isEqualTo(1);
        assertThat(rows.stream().filter(r -> r.get("sparsity").asString().equals("top-1")))
                .allSatisfy(r -> assertThat(r.get("usersExcluded").asLong()).isLessThanOrEqualTo(
                        rows.stream().filter(q -> q.get("sparsity").asString().equals("top-10")).findFirst().orElseThrow()
                                .get("usersExcluded").asLong()));
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain.evaluate({methods: ['lime']})"))
                .hasMessageContaining("'lime' is not an explainer");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain.evaluate({sparsity: [1.5]})"))
                .hasMessageContaining("'sparsity' values are integers from 1");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain.evaluate({concurrency: 0})"))
                .hasMessageContaining("'concurrency'");
    }

    /**
     * Users explained side by side (the default concurrency: CI's 2 cores), for an evaluation and for global
     * importances, give every figure of users explained one at a time, the attention's included: each thread reads the attention of its own user's subgraph, not the last
     * one any thread computed on the shared network.
     */
    @Test
    @Order(5)
    void evaluateAndGlobalGiveTheSameFiguresAtAnyConcurrency() {
        String call = """
                CALL lastfm.explain.evaluate({modelName: 'gat-region', sample: 16, methods: ['attention', 'saliency', 'random'],
                                              sparsity: [1, 0.2], epochs: 10%s})""";
        List<Map<String, Object>> alone = withoutTimes(neo4j.run(call.formatted(", concurrency: 1")));
        List<Map<String, Object>> beside = withoutTimes(neo4j.run(call.formatted("")));
        assertThat(alone).hasSize(6);
        assertThat(beside).isEqualTo(alone);

        String global = "CALL lastfm.explain.global({modelName: 'gat-region', sample: 12, method: 'attention'%s})";
        List<Map<String, Object>> globalAlone = neo4j.run(global.formatted(", concurrency: 1")).stream().map(Record::asMap).toList();
        assertThat(globalAlone).hasSize(6);
        assertThat(neo4j.run(global.formatted("")).stream().map(Record::asMap).toList()).isEqualTo(globalAlone);
    }

    private static List<Map<String, Object>> withoutTimes(List<Record> rows) {
        return rows.stream().map(r -> {
            Map<String, Object> m = new java.util.LinkedHashMap<>(r.asMap());
            m.remove("explainMillis");
            return (Map<String, Object>) m;
        }).toList();
    }

    @Test
    @Order(6)
    void badInputIsNamed() {
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(424242)")).hasMessageContaining("No user with id 424242");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(1005, {modelName: 'nope'})")).hasMessageContaining("No model named 'nope'");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(1005, {epoch: 3})")).hasMessageContaining("did you mean 'epochs'");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(1005, {method: 'lime'})")).hasMessageContaining("'lime' is not an explainer");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.explain(1005, {artistId: 3})")).hasMessageContaining("task 'artists' only");
    }

    @Test
    @Order(7)
    void globalImportanceCoversTheOwnInputsAndEveryEdgeType() {
        List<Record> rows = neo4j.run("CALL lastfm.explain.global({modelName: 'gat-region', sample: 3})");
        assertThat(rows.stream().filter(r -> r.get("kind").asString().equals("feature")).map(r -> r.get("name").asString()))
                .containsExactlyInAnyOrder("logDegree", "inverseSqrtDegree");
        Map<String, Double> edgeTypes = new java.util.HashMap<>();
        rows.stream().filter(r -> r.get("kind").asString().equals("edgeType"))
                .forEach(r -> edgeTypes.put(r.get("name").asString(), r.get("importance").asDouble()));
        assertThat(edgeTypes).hasSize(4);
        // a friend's message to the user outweighs a friend-of-friend's message to a friend
        assertThat(edgeTypes.get("friend->user, same region"))
                .isGreaterThan(edgeTypes.get("friend of friend->friend, same region"))
                .isGreaterThan(edgeTypes.get("friend of friend->friend, other region"));
    }

    @Test
    @Order(8)
    void explanationsRunSideBySideAndGiveWhatTheyGiveAlone() throws Exception {
        Map<String, Object> alone = explain(0, Map.of("method", "gnnExplainer", "epochs", 15)).asMap();
        List<java.util.concurrent.CompletableFuture<Record>> parallel = new java.util.ArrayList<>();
        for (long user : List.of(0L, 1L, 2L, 0L)) {
            parallel.add(java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    neo4j.run("CALL lastfm.explain($u, {method: 'gnnExplainer', epochs: 15, modelName: 'gat-region'})",
                            Map.of("u", user)).get(0)));
        }
        for (var future : parallel) {
            assertThat(future.get(5, java.util.concurrent.TimeUnit.MINUTES).get("edges").size()).isBetween(1, 10);
        }
        Map<String, Object> together = parallel.get(0).get().asMap();
        assertThat(together.get("edges")).isEqualTo(alone.get("edges"));
        assertThat(together.get("features")).isEqualTo(alone.get("features"));
    }

    @Test
    @Order(9)
    void theBrowserQueriesRun() throws IOException {
        for (String file : List.of("attention_1005.cypher", "explanation_1005.cypher")) {
            String query = java.nio.file.Files.readString(java.nio.file.Path.of("cypher/browser", file))
                    .replaceAll("(?m)^//.*$", "").trim().replaceAll(";$", "");
            assertThat(neo4j.run(query)).as(file).isNotEmpty();
        }
    }

    private Record explain(long user, Map<String, Object> config) {
        Map<String, Object> c = new java.util.HashMap<>(config);
        c.putIfAbsent("modelName", "gat-region");
        return neo4j.run("CALL lastfm.explain($u, $c)", Map.of("u", user, "c", c)).get(0);
    }
}

package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.service.ModelCatalog;
import org.lastfmgnn.service.RegionModelService;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;
import org.neo4j.graphdb.Transaction;

/**
 * A graph that is not LastFM's: user ids above 2^31 and five regions, built with Cypher. Training, prediction
 * and explanation work on it, the class count comes from the data, long ids come back whole; the thread setting
 * is honoured; prediction stops when its transaction is terminated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningTest {
    private static final long BASE = 3_000_000_000L;
    private TestNeo4j neo4j;

    @BeforeAll
    void start() throws IOException {
        neo4j = TestNeo4j.start();
        // 10 communities of 30 users in a ring of cliques-ish: community c has region c % 5; each user knows 4
        // of its community and, every third user, one of the next community
        neo4j.run("""
                UNWIND range(0, 299) AS i
                CREATE (:User {id: $base + i, region: (i / 30) % 5})""", Map.of("base", BASE));
        neo4j.run("""
                MATCH (u:User) WITH u, u.id - $base AS i
                UNWIND [1, 2, 3, 4] AS step
                WITH u, i, (i / 30) * 30 + (i % 30 + step) % 30 AS j
                MATCH (v:User {id: $base + j}) MERGE (u)-[:FRIEND]-(v)""", Map.of("base", BASE));
        neo4j.run("""
                MATCH (u:User) WHERE (u.id - $base) % 3 = 0 WITH u, u.id - $base AS i
                MATCH (v:User {id: $base + (i + 30) % 300}) MERGE (u)-[:FRIEND]-(v)""", Map.of("base", BASE));
        neo4j.run("CREATE (n:User {id: $id}) WITH n MATCH (a:User {id: $friend}) CREATE (n)-[:FRIEND]->(a)",
                Map.of("id", BASE + 5_000, "friend", BASE + 35));
    }

    @AfterAll
    void stop() {
        neo4j.close();
    }

    @Test
    void longIdsAndFiveRegionsTrainPredictAndExplain() {
        Record r = neo4j.run("CALL lastfm.gnn.train({model: 'gcn', folds: 3, epochs: 60, modelName: 'big', threads: 2})").get(0);
        assertThat(r.get("accuracyMean").asDouble()).as("communities decide the region").isGreaterThan(0.8);
        assertThat(r.get("bestConfig").get("threads").asLong()).as("the run's threads").isEqualTo(2);
        assertThat(Engines.threads()).as("restored after the run").isEqualTo(Engines.configuredThreads());
        List<Record> predicted = neo4j.run("CALL lastfm.gnn.predict.stream('big')");
        assertThat(predicted).singleElement().satisfies(p -> {
            assertThat(p.get("userId").asLong()).isEqualTo(BASE + 5_000);
            assertThat(p.get("regionProbabilities").asList(Value::asDouble)).as("classes from the data").hasSize(5);
            assertThat(p.get("predictedRegion").asLong()).as("its one friend's region").isEqualTo(1);
        });
        Record e = neo4j.run("CALL lastfm.explain($u, {modelName: 'big', write: true})", Map.of("u", BASE + 35)).get(0);
        assertThat(e.get("userId").asLong()).isEqualTo(BASE + 35);
        assertThat(e.get("edges").asList(v -> v.get("source").asLong())).allSatisfy(id -> assertThat(id).isGreaterThan(BASE));
        assertThat(neo4j.count("MATCH (:User)-[i:INFLUENCES]->(:User) WHERE i.explainedUser = $u RETURN count(i)",
                Map.of("u", BASE + 35))).isPositive();
        assertThat(neo4j.count("MATCH (u:User) WHERE u.predictionModel = 'big' RETURN count(u)")).isEqualTo(301);
    }

    @Test
    void aBadThreadCountIsRefused() {
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.train({threads: 0})")).hasMessageContaining("'threads' must be between 1");
    }

    @Test
    void predictStopsWhenItsTransactionIsTerminated() throws IOException {
        neo4j.run("CALL lastfm.gnn.train({model: 'labelPropagation', folds: 3, modelName: 'lp'})");
        neo4j.run("MATCH (u:User) WHERE u.id = $id REMOVE u.predictedRegion, u.predictionModel", Map.of("id", BASE + 5_000));
        AtomicInteger checks = new AtomicInteger();
        var db = neo4j.database();
        ModelCatalog catalog = Neo4jPaths.catalog(db);
        RegionModelService service = new RegionModelService(db, catalog, message -> { }, () -> {
            if (checks.incrementAndGet() == 2) { // the guard says stop once the graph is exported
                throw new org.neo4j.graphdb.TransactionTerminatedException(org.neo4j.kernel.api.exceptions.Status.Transaction.Terminated);
            }
        });
        try (Transaction tx = db.beginTx()) {
            assertThatThrownBy(() -> service.predict(tx, "lp", true, null))
                    .isInstanceOf(org.neo4j.graphdb.TransactionTerminatedException.class);
        }
        assertThat(neo4j.count("MATCH (u:User) WHERE u.id = $id AND u.predictedRegion IS NOT NULL RETURN count(u)",
                Map.of("id", BASE + 5_000))).as("nothing written").isZero();
    }
}

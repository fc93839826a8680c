package org.lastfmgnn.bench;

import java.util.List;
import java.util.Map;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

/**
 * Cypher through Bolt as a logged-in user, the way GDS users call GDS. GDS keeps its graph catalog per user, and
 * its pipeline training looks the graph up under a different name than an embedded, unauthenticated transaction
 * projected it under ("Graph ... does not exist"); over Bolt every call has the same user.
 */
final class BoltCypher implements AutoCloseable {
    private final Driver driver;

    BoltCypher(String uri, String user, String password) {
        driver = GraphDatabase.driver(uri, AuthTokens.basic(user, password));
    }

    List<Map<String, Object>> run(String query, Map<String, Object> parameters) {
        try (Session session = driver.session()) {
            return session.run(query, parameters).list(r -> r.asMap());
        }
    }

    /** Each row of the result as it arrives, for results too long to hold as a list. */
    void forEach(String query, Map<String, Object> parameters, java.util.function.Consumer<org.neo4j.driver.Record> row) {
        try (Session session = driver.session()) {
            session.run(query, parameters).forEachRemaining(row);
        }
    }

    void run(String query) {
        run(query, Map.of());
    }

    @Override
    public void close() {
        driver.close();
    }
}

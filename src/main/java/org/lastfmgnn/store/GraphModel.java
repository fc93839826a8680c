package org.lastfmgnn.store;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;

import java.util.concurrent.TimeUnit;

/**
 * The property graph: {@code (:User {id, region})-[:FRIEND]->(:User)} stored once per mutual friendship,
 * {@code (:User)-[:LIKES]->(:Artist {id})}, and one {@code (:LastFmDataset)} node that records where the likes
 * came from.
 */
public final class GraphModel {
    public static final Label USER = Label.label("User");
    public static final Label ARTIST = Label.label("Artist");
    public static final Label DATASET = Label.label("LastFmDataset");
    public static final RelationshipType FRIEND = RelationshipType.withName("FRIEND");
    public static final RelationshipType LIKES = RelationshipType.withName("LIKES");
    public static final String ID = "id";
    public static final String REGION = "region";
    public static final String FEATURE_SOURCE = "featureSource";

    public static final String[] CONSTRAINTS = {
        "CREATE CONSTRAINT lastfm_user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE",
        "CREATE CONSTRAINT lastfm_artist_id IF NOT EXISTS FOR (a:Artist) REQUIRE a.id IS UNIQUE",
    };

    private GraphModel() {
    }

    /** Creates the uniqueness constraints (schema changes need their own transaction). */
    public static void ensureConstraints(GraphDatabaseService db) {
        try (Transaction tx = db.beginTx()) {
            for (String constraint : CONSTRAINTS) {
                tx.execute(constraint).close();
            }
            tx.commit();
        }
        try (Transaction tx = db.beginTx()) {
            tx.schema().awaitIndexesOnline(5, TimeUnit.MINUTES);
            tx.commit();
        }
    }
}

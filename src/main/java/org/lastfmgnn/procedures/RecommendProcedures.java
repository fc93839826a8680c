package org.lastfmgnn.procedures;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.config.ConfigMap;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** {@code lastfm.recommend.artists(userId, {k, model})}: the written recommendations of a user, best first. */
public class RecommendProcedures {
    /** One recommended artist. */
    public record ArtistRecommendation(long userId, long artistId, double score, long rank, String model) {
    }

    @Context
    public Transaction tx;

    @Procedure(name = "lastfm.recommend.artists", mode = Mode.READ)
    @Description("Streams the artists recommended to a user by lastfm.gnn.train({task: 'artists'}), best first. "
            + "Config: {k: 20, model: <the only or newest artist model>}.")
    public Stream<ArtistRecommendation> artists(@Name("userId") long userId,
                                                @Name(value = "config", defaultValue = "{}") Map<String, Object> config) {
        ConfigMap c = ConfigMap.of("lastfm.recommend.artists", config, List.of("k", "model"));
        long k = c.integer("k", 20, 1, 1000);
        UserLookup.require(tx, userId);
        String model = c.string("model", null);
        if (model == null) {
            try (var result = tx.execute("MATCH (m:GnnModel {task: 'artists'}) RETURN m.name AS name ORDER BY m.trainedAt DESC LIMIT 1")) {
                if (!result.hasNext()) {
                    throw new IllegalArgumentException("No artist recommendations yet: train them with "
                            + "CALL lastfm.gnn.train({task: 'artists'})");
                }
                model = (String) result.next().get("name");
            }
        }
        List<ArtistRecommendation> rows;
        try (var result = tx.execute("""
                MATCH (:User {id: $user})-[r:RECOMMENDED {model: $model}]->(a:Artist)
                RETURN a.id AS artistId, r.score AS score, r.rank AS rank ORDER BY r.rank LIMIT $k""",
                Map.of("user", userId, "model", model, "k", k))) {
            String m = model;
            rows = result.stream().map(row -> new ArtistRecommendation(userId, (Long) row.get("artistId"),
                    (Double) row.get("score"), (Long) row.get("rank"), m)).toList();
        }
        return rows.stream();
    }
}

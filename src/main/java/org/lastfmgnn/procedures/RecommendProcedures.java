package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.service.FriendRecommendationService;
import org.lastfmgnn.training.FriendEvaluation;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.TerminationGuard;

/** Recommendations: artists (as written by training) and friends (scored on demand, by a saved model or by rule). */
public class RecommendProcedures {
    /** One recommended artist. */
    public record ArtistRecommendation(long userId, long artistId, double score, long rank, String model) {
    }

    @Context
    public Transaction tx;

    @Context
    public GraphDatabaseService db;

    @Context
    public TerminationGuard guard;

    @Procedure(name = "lastfm.recommend.friends", mode = Mode.WRITE)
    @Description("Streams the users who are not yet friends of a user, best first: with modelName, by the probability "
            + "a saved link predictor (lastfm.gnn.train({task: 'friends'})) gives the friendship; without, by "
            + "taste-embedding similarity, same (predicted) region and mutual friends. Config: {k: 10, write: false, "
            + "modelName: null}; write: true replaces the user's SUGGESTED_FRIEND relationships.")
    public Stream<FriendRecommendationService.FriendSuggestion> friends(@Name("userId") long userId,
            @Name(value = "config", defaultValue = "{}") Map<String, Object> config) throws IOException {
        ConfigMap c = ConfigMap.of("lastfm.recommend.friends", config, List.of("k", "write", "modelName"));
        int k = (int) c.integer("k", 10, 1, 1000);
        boolean write = c.bool("write", false);
        return service().suggest(tx, UserLookup.require(tx, userId), k, write, c.string("modelName", null)).stream();
    }

    @Procedure(name = "lastfm.recommend.friends.stream", mode = Mode.READ)
    @Description("lastfm.recommend.friends without the write option: callable from read-only transactions. Config: "
            + "{k: 10, modelName: null}.")
    public Stream<FriendRecommendationService.FriendSuggestion> friendsStream(@Name("userId") long userId,
            @Name(value = "config", defaultValue = "{}") Map<String, Object> config) throws IOException {
        ConfigMap c = ConfigMap.of("lastfm.recommend.friends.stream", config, List.of("k", "modelName"));
        int k = (int) c.integer("k", 10, 1, 1000);
        return service().suggest(tx, UserLookup.require(tx, userId), k, false, c.string("modelName", null)).stream();
    }

    private FriendRecommendationService service() {
        return new FriendRecommendationService(db, Neo4jPaths.catalog(db), message -> { }, guard::check);
    }

    /** Friend recommendation measured on hidden friendships. */
    /** One method against one kind of negatives. */
    public record FriendEvaluationResult(String negatives, String method, double auc, double hitsAt10, double mrr,
                                         long friendships, long hiddenFriendships, double negativesPerFriendship,
                                         long learnedEpochs) {
    }

    @Procedure(name = "lastfm.recommend.friends.evaluate", mode = Mode.READ)
    @Description("Hides a share of the friendships (config {holdout: 0.1, randomSeed: 42}) and ranks each hidden "
            + "friendship against users two hops away who are not friends and against random non-friends, with a "
            + "learned link predictor (GCN encoder + pair features, trained on the rest), Adamic-Adar, resource "
            + "allocation and common neighbours, all from the remaining friendships only and no likes; 500 of them also "
            + "against every non-friend (allUsers: the list lastfm.recommend.friends ranks), with the served order "
            + "(learnedTwoHopFirst) and the hand-set score (handSet) beside them. One row per negatives and method, "
            + "with AUC, Hits@10 and MRR.")
    public Stream<FriendEvaluationResult> evaluate(@Name(value = "config", defaultValue = "{}") Map<String, Object> config) {
        ConfigMap c = ConfigMap.of("lastfm.recommend.friends.evaluate", config, List.of("holdout", "randomSeed"));
        FriendEvaluation.Result r = service().evaluate(tx, c.number("holdout", 0.1, 0.01, 0.5),
                c.integer("randomSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE));
        List<FriendEvaluationResult> rows = new java.util.ArrayList<>();
        r.scores().forEach((negatives, methods) -> methods.forEach((method, s) -> rows.add(new FriendEvaluationResult(
                negatives, method, s.auc(), s.hitsAt10(), s.mrr(),
                switch (negatives) {
                    case "twoHopCandidates" -> r.candidates();
                    case "allUsers" -> s.count();
                    default -> r.hiddenFriendships();
                }, r.hiddenFriendships(),
                negatives.startsWith("twoHop") ? r.twoHopNegatives()
                        : negatives.equals("allUsers") ? r.allUsersNegatives() : 100, r.learnedEpochs()))));
        return rows.stream();
    }

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

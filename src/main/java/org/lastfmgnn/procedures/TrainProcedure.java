package org.lastfmgnn.procedures;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.lastfmgnn.graph.DegreeHistogram;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.service.ArtistModelService;
import org.lastfmgnn.service.FriendRecommendationService;
import org.lastfmgnn.service.RegionModelService;
import org.lastfmgnn.service.TrainResult;
import org.lastfmgnn.training.MemoryEstimate;
import org.lastfmgnn.training.TrainConfig;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.logging.Log;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.TerminationGuard;

/** {@code CALL lastfm.gnn.train(config)}. */
public class TrainProcedure {
    @Context
    public GraphDatabaseService db;

    @Context
    public Transaction tx;

    @Context
    public Log log;

    @Context
    public TerminationGuard guard;

    /** What a training would need, before it runs. */
    public record Estimate(long users, long friendships, long likes, long bytesMin, long bytesMax, long heapBytes,
                           long nativeBytes) {
    }

    @Procedure(name = "lastfm.gnn.train.estimate", mode = Mode.READ)
    @Description("Estimates the memory lastfm.gnn.train would need with this config (same keys), from the graph's "
            + "counts: bytesMin, bytesMax, heapBytes, nativeBytes. train refuses to start when it does not fit.")
    public Stream<Estimate> estimate(@Name(value = "config", defaultValue = "{}") Map<String, Object> config) {
        TrainConfig parsed = TrainConfig.parse(config);
        long users = count("MATCH (u:User) RETURN count(u) AS n");
        long friendships = count("MATCH ()-[r:FRIEND]->() RETURN count(r) AS n");
        long likes = count("MATCH ()-[r:LIKES]->() RETURN count(r) AS n");
        long artists = count("MATCH (a:Artist) RETURN count(a) AS n");
        long classes = count("MATCH (u:User) WHERE u.region IS NOT NULL RETURN coalesce(max(u.region), -1) + 1 AS n");
        int classCount = (int) Math.max(1, classes);
        MemoryEstimate e = MemoryEstimate.samples(parsed)
                ? MemoryEstimate.of(degrees(), artists, likes, classCount, parsed)
                : MemoryEstimate.of(users, friendships, artists, likes, classCount, parsed);
        return Stream.of(new Estimate(users, friendships, likes, e.bytesMin(), e.bytesMax(), e.heapBytes(), e.nativeBytes()));
    }

    /** Users by number of friends, for sizing a mini-batch's sampled subgraph. */
    private DegreeHistogram degrees() {
        Map<Integer, Long> usersWithDegree = new HashMap<>();
        try (var result = tx.execute("MATCH (u:User) WITH COUNT { (u)-[:FRIEND]-(:User) } AS degree "
                + "RETURN degree, count(*) AS users")) {
            result.forEachRemaining(row -> usersWithDegree.put(((Long) row.get("degree")).intValue(), (Long) row.get("users")));
        }
        long[] counts = new long[usersWithDegree.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1];
        usersWithDegree.forEach((degree, n) -> counts[degree] = n);
        return new DegreeHistogram(counts);
    }

    private long count(String query) {
        try (var result = tx.execute(query)) {
            return (Long) result.next().get("n");
        }
    }

    @Procedure(name = "lastfm.gnn.train", mode = Mode.WRITE)
    @Description("Trains a region model (model: 'gcn'|'gat'|'labelFeatureMlp'|'mlp'|'labelPropagation'|'correctAndSmooth'|"
            + "'auto') or, with task 'artists', an artist recommender, evaluated on held-out users (k folds, or repeated "
            + "splits) with every choice made on a validation split and tuned baselines on the same users; with write: "
            + "true (default) writes the held-out predictions and saves the final model for lastfm.gnn.predict. With "
            + "task 'friends', the link predictor lastfm.recommend.friends serves (evaluated on hidden friendships, "
            + "then trained on all of them; write saves it). device: 'auto' (the GPU when PyTorch sees one)|'cpu'|'gpu'.")
    public Stream<TrainResult> train(@Name(value = "config", defaultValue = "{}") Map<String, Object> config)
            throws IOException {
        TrainConfig parsed = TrainConfig.parse(config);
        parsed.tensorDevice(); // a device this process lacks is refused before anything is read or written
        try (AutoCloseable threads = parsed.threads() > 0 ? Engines.threadsFor(parsed.threads()) : () -> { }) {
            TrainResult result = switch (parsed.task()) {
                case TrainConfig.ARTISTS -> new ArtistModelService(db, Neo4jPaths.catalog(db), log::info, guard::check)
                        .train(tx, parsed);
                case TrainConfig.FRIENDS -> new FriendRecommendationService(db, Neo4jPaths.catalog(db), log::info,
                        guard::check).train(tx, parsed);
                default -> new RegionModelService(db, Neo4jPaths.catalog(db), log::info, guard::check).train(tx, parsed);
            };
            return Stream.of(result);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

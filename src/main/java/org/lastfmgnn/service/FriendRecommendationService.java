package org.lastfmgnn.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.recommend.FriendScorer;
import org.lastfmgnn.store.BatchedTransactions;
import org.lastfmgnn.training.FriendEvaluation;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;

/** Friend suggestions for one user, and their evaluation on hidden friendships. */
@SuppressWarnings("deprecation") // internal node ids from the export are the write-back handle
public final class FriendRecommendationService {
    public static final RelationshipType SUGGESTED_FRIEND = RelationshipType.withName("SUGGESTED_FRIEND");

    /** One suggested friend. */
    public record FriendSuggestion(long userId, double score, boolean sameRegion, long mutualFriends, long rank) {
    }

    private final GraphDatabaseService db;

    public FriendRecommendationService(GraphDatabaseService db) {
        this.db = db;
    }

    /**
     * The {@code k} users who are not yet friends of {@code user}, best first; with {@code write} they replace the
     * user's earlier SUGGESTED_FRIEND relationships.
     */
    public List<FriendSuggestion> suggest(Transaction tx, Node user, int k, boolean write) {
        GraphSnapshot g = GraphExporter.export(tx, null, false);
        int n = g.userCount();
        float[] embeddings = null;
        int width = 0;
        int[] region = new int[n];
        try (var rows = tx.execute("MATCH (u:User) RETURN u.id AS id, u.tasteEmbedding AS e, coalesce(u.region, u.predictedRegion, -1) AS r")) {
            while (rows.hasNext()) {
                Map<String, Object> row = rows.next();
                int index = g.indexOf(((Number) row.get("id")).longValue());
                region[index] = ((Number) row.get("r")).intValue();
                if (row.get("e") instanceof float[] e) {
                    if (embeddings == null) {
                        width = e.length;
                        embeddings = new float[n * width];
                    }
                    if (e.length == width) {
                        System.arraycopy(e, 0, embeddings, index * width, width);
                    }
                }
            }
        }
        FriendScorer scorer = new FriendScorer(g, embeddings, width, region);
        int u = g.indexOf(((Number) user.getProperty("id")).longValue());
        double[] scores = new double[n];
        Integer[] candidates = new Integer[n];
        int count = 0;
        for (int v = 0; v < n; v++) {
            if (v != u && !scorer.areFriends(u, v)) {
                scores[v] = scorer.score(u, v);
                candidates[count++] = v;
            }
        }
        Integer[] ranked = java.util.Arrays.copyOf(candidates, count);
        java.util.Arrays.sort(ranked, (x, y) -> scores[y] != scores[x] ? Double.compare(scores[y], scores[x]) : Integer.compare(x, y));
        List<FriendSuggestion> out = new ArrayList<>();
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
            int v = ranked[r];
            out.add(new FriendSuggestion(g.userIds()[v], scores[v], scorer.sameRegion(u, v), scorer.mutualFriends(u, v), r + 1));
        }
        if (write) {
            write(g, u, ranked, out);
        }
        return out;
    }

    private void write(GraphSnapshot g, int u, Integer[] ranked, List<FriendSuggestion> suggestions) {
        try (BatchedTransactions batches = new BatchedTransactions(db, 10_000)) {
            Node source = batches.tx().getNodeById(g.nodeIds()[u]);
            try (var rels = source.getRelationships(Direction.OUTGOING, SUGGESTED_FRIEND)) {
                for (Relationship r : rels) {
                    r.delete();
                }
            }
            for (int r = 0; r < suggestions.size(); r++) {
                Relationship rel = source.createRelationshipTo(batches.tx().getNodeById(g.nodeIds()[ranked[r]]), SUGGESTED_FRIEND);
                rel.setProperty("score", suggestions.get(r).score());
                rel.setProperty("rank", (long) r + 1);
            }
        }
    }

    /** @param cancellation throws when the work must stop (the procedure's termination guard) */
    public FriendEvaluation.Result evaluate(Transaction tx, double holdout, long seed, Runnable cancellation) {
        try (TrainingLock lock = TrainingLock.acquire("lastfm.recommend.friends.evaluate", "");
             ProgressTracker progress = ProgressTracker.start("lastfm.recommend.friends.evaluate", 1, message -> { },
                     cancellation)) {
            // no likes: with the synthetic ones a likes-derived signal would know the hidden friendships
            GraphSnapshot g = GraphExporter.export(tx, null, false);
            return FriendEvaluation.run(g, holdout, seed, progress);
        }
    }
}

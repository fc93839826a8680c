package org.lastfmgnn.launcher;

import java.util.LinkedHashMap;
import java.util.Map;
import org.neo4j.graphdb.GraphDatabaseService;

/** The launcher's main job, run through the same procedures users call. */
final class Pipeline {
    private final GraphDatabaseService db;
    private final Report report;

    Pipeline(GraphDatabaseService db, Report report) {
        this.db = db;
        this.report = report;
    }

    void run(String features) {
        long t = System.nanoTime();
        Map<String, Object> load = db.executeTransactionally(
                "CALL lastfm.load({features: $features})", Map.of("features", features),
                result -> result.next());
        report.timing("loadMillis", t);
        Map<String, Object> dataset = new LinkedHashMap<>();
        for (String key : new String[] {"users", "friendships", "artists", "likes", "featureSource"}) {
            dataset.put(key, load.get(key));
        }
        report.section("dataset", dataset);
        report.section("load", load);
        System.out.printf("Loaded %,d users, %,d friendships, %,d artists, %,d likes (features: %s) in %,d ms, %,.0f relationships/s%n",
                load.get("users"), load.get("friendships"), load.get("artists"), load.get("likes"),
                load.get("featureSource"), load.get("loadMillis"), load.get("relationshipsPerSecond"));
    }
}

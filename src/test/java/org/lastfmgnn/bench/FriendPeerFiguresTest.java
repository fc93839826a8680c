package org.lastfmgnn.bench;

import ai.djl.Device;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.export.GraphExporter;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.TestNeo4j;
import org.lastfmgnn.training.FriendEvaluation;
import org.neo4j.graphdb.Transaction;

/**
 * What the README and BENCHMARKS.md quote from {@code --bench friends} for fold seed 44 (BENCHMARKS.md, "Friends:
 * GDS's link prediction pipeline on the same pairs"), measured again as the bench measures it (the friend
 * evaluation with GDS's pipeline as a peer, on the hidden friendships of 250 users) and held to it: against two-hop
 * negatives the learned predictor is at least 0.05 AUC above Adamic-Adar, resource allocation, common neighbours
 * and GDS's pipeline (the bar; the quoted margins are 0.15-0.20), and each method's figures are the quoted
 * ones: the counting scores to 0.0005 (they are deterministic), the learned predictor to 0.003 (trained: last-bit
 * float differences between processes), GDS's to 0.02 (its autotuning and FastRP run multi-threaded). About 50
 * minutes on 2 cores, nearly all of it GDS scoring every pair of the 250 users. Run with
 * ./mvnw verify -Pbenchmarks -Dtest=FriendPeerFiguresTest.
 */
@Tag("benchmark")
class FriendPeerFiguresTest {
    private static final long SEED = 44;
    private static final Offset<Double> COUNTED = Offset.offset(0.0005);
    private static final Offset<Double> TRAINED = Offset.offset(0.003);
    private static final Offset<Double> GDS = Offset.offset(0.02);

    @Test
    void againstTwoHopNegativesTheLearnedPredictorLeadsEveryPeerGdsIncluded() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            neo4j.run("CALL lastfm.load({features: 'none'})");
            GraphSnapshot graph;
            try (Transaction tx = neo4j.database().beginTx()) {
                graph = GraphExporter.export(tx, null, false);
            }
            FriendEvaluation.Result result;
            try (BoltCypher bolt = new BoltCypher(neo4j.boltUri(), "neo4j", "unused");
                 ProgressTracker progress = ProgressTracker.start("friends, seed " + SEED, 1, System.out::println)) {
                GdsLinkPrediction gds = new GdsLinkPrediction(bolt, SEED, Benchmark.FRIEND_PEER_SOURCES, System.out::println);
                result = FriendEvaluation.run(graph, 0.1, SEED, Device.cpu(), List.of(gds), progress);
            }
            Map<String, FriendEvaluation.Scores> twoHop = result.scores().get("twoHop");
            System.out.println("friends, seed " + SEED + ": " + result.scores());
            assertThat(twoHop.get("learned").count()).isEqualTo(588);
            for (String peer : List.of("adamicAdar", "resourceAllocation", "commonNeighbours", "gdsPipeline")) {
                assertThat(twoHop.get("learned").auc()).as(peer).isGreaterThan(twoHop.get(peer).auc() + 0.05);
                assertThat(twoHop.get("learned").hitsAt10()).as(peer).isGreaterThan(twoHop.get(peer).hitsAt10());
            }
            assertThat(twoHop.get("learned").auc()).isCloseTo(0.8310, TRAINED);
            assertThat(twoHop.get("learned").hitsAt10()).isCloseTo(0.6667, TRAINED);
            assertThat(twoHop.get("adamicAdar").auc()).isCloseTo(0.6350, COUNTED);
            assertThat(twoHop.get("resourceAllocation").auc()).isCloseTo(0.6289, COUNTED);
            assertThat(twoHop.get("commonNeighbours").auc()).isCloseTo(0.6287, COUNTED);
            assertThat(twoHop.get("gdsPipeline").auc()).isCloseTo(0.6451, GDS);
            assertThat(twoHop.get("gdsPipeline").hitsAt10()).isCloseTo(0.2806, GDS);
            // against random users GDS is the strongest peer: the quoted AUCs, 0.896 and the learned 0.909
            Map<String, FriendEvaluation.Scores> random = result.scores().get("random");
            assertThat(random.get("gdsPipeline").auc()).isCloseTo(0.8960, GDS);
            assertThat(random.get("learned").auc()).isCloseTo(0.9073, TRAINED);
        }
    }
}

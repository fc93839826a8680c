package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.dataset.ScaledDataset;
import org.lastfmgnn.graph.ComputationSubgraph;
import org.lastfmgnn.graph.DegreeHistogram;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.testing.TestNeo4j;

/**
 * {@code train.estimate} sizes a mini-batch's sampled subgraph from the degrees alone: it must not fall below what
 * sampling draws (the estimate would let a run start that cannot fit) nor lie far above it (it would refuse runs
 * that fit). Checked against drawn subgraphs on the LastFM graph and its 10x and 100x copies (the growth series'
 * sizes), where overlaps between the samples differ most.
 */
class SampledSubgraphSizeTest {
    private static final Sampling BATCHES = new Sampling(512, new int[] {10, 10});

    @TempDir
    Path dir;

    @Test
    void theExpectedSubgraphIsAtOrAboveTheDrawnOnesAndWithinAQuarter() throws IOException {
        LastFmDataset base = DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE);
        for (int factor : new int[] {1, 10, 100}) {
            GraphSnapshot g = Snapshots.of(factor == 1 ? base : scaled(base, factor));
            double[] drawn = meanDrawn(g, 10);
            MemoryEstimate.SubgraphSize expected = MemoryEstimate.sampledSubgraph(BATCHES, 2, DegreeHistogram.of(g));
            assertThat(expected.users()).as("users, %,d in the graph", g.userCount())
                    .isBetween(drawn[0], 1.25 * drawn[0]);
            assertThat(expected.messageEdges()).as("message edges, %,d users", g.userCount())
                    .isBetween(drawn[1], 1.25 * drawn[1]);
            // the counts alone know no hubs: they take every user to keep min(10, 7.3) friendships, which overshoots
            MemoryEstimate.SubgraphSize regular = MemoryEstimate.sampledSubgraph(BATCHES, 2,
                    DegreeHistogram.regular(g.userCount(), g.friendshipCount()));
            assertThat(regular.users()).isGreaterThan(expected.users());
        }
    }

    @Test
    void aMiniBatchRunCountsItsSubgraphBesideTheWholeGraphEvenWhereTheSampleReachesEveryone() {
        // 2,000 users of degree 20: two hops of 10 from 512 seeds reach nearly all of them
        DegreeHistogram degrees = DegreeHistogram.regular(2_000, 20_000);
        Map<String, Object> likes = Map.of("inputs", List.of("labels", "structure", "artists"));
        Map<String, Object> batched = new java.util.HashMap<>(likes);
        batched.putAll(Map.of("batchSize", 512L, "fanouts", List.of(10L, 10L)));
        MemoryEstimate full = MemoryEstimate.of(degrees, 5_000, 800_000, 10, TrainConfig.parse(likes));
        MemoryEstimate sampled = MemoryEstimate.of(degrees, 5_000, 800_000, 10, TrainConfig.parse(batched));
        assertThat(MemoryEstimate.sampledSubgraph(BATCHES, 2, degrees).users()).isGreaterThan(1_900);
        assertThat(sampled.nativeBytes()).isGreaterThan(full.nativeBytes());
    }

    /** The friendships of the LastFM graph {@code factor} times over, as the growth series makes them. */
    private LastFmDataset scaled(LastFmDataset base, int factor) throws IOException {
        Path folder = dir.resolve(factor + "x");
        ScaledDataset.write(base, factor, 0.1, 7, folder);
        return DatasetReader.read(folder, null, FeatureSource.NONE);
    }

    /** Users and message edges of drawn subgraphs, averaged over {@code draws} batches of random seeds. */
    private static double[] meanDrawn(GraphSnapshot g, int draws) {
        Random random = new Random(1);
        int n = g.userCount();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double users = 0;
        double edges = 0;
        for (int k = 0; k < draws; k++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            GraphSnapshot sub = ComputationSubgraph.sampled(g, java.util.Arrays.copyOf(order, BATCHES.batchSize()),
                    BATCHES.fanouts(2), random).graph();
            users += sub.userCount();
            edges += sub.friends().length;
        }
        return new double[] {users / draws, edges / draws};
    }
}

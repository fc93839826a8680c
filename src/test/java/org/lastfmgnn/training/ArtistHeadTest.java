package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.graph.Workers;
import org.lastfmgnn.recommend.ArtistPairFeatures;
import org.lastfmgnn.recommend.ArtistSignals;
import org.lastfmgnn.testing.TestNeo4j;

/**
 * The artist model's logistic head: its regression finds the weights that generated the labels, at any column
 * scale and any concurrency, and its fit never reads the likes of users outside the fitting users (the fold's
 * validation and test users), nor a held-out user's features its own likes.
 */
class ArtistHeadTest {

    @Test
    void logisticRegressionRecoversTheWeightsThatGeneratedTheLabels() throws Exception {
        int rows = 200_000;
        int d = 3;
        double[] truth = {1.5, -0.002, 2, -9}; // the last: the intercept
        float[] x = new float[rows * d];
        float[] y = new float[rows];
        Random random = new Random(3);
        for (int r = 0; r < rows; r++) {
            x[r * d] = (float) random.nextGaussian();
            x[r * d + 1] = (float) (1000 * random.nextGaussian()); // a column in other units
            x[r * d + 2] = (float) (5 + 0.5 * random.nextGaussian()); // far from zero: the intercept must absorb it
            double z = truth[3];
            for (int j = 0; j < d; j++) {
                z += truth[j] * x[r * d + j];
            }
            y[r] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        double[] w = LogisticRegression.fit(x, y, d, 0, Workers.SEQUENTIAL);
        assertThat(w[0]).isCloseTo(truth[0], within(0.05));
        assertThat(w[1]).isCloseTo(truth[1], within(0.0001));
        assertThat(w[2]).isCloseTo(truth[2], within(0.1));
        assertThat(w[3]).isCloseTo(truth[3], within(0.5));
        try (Workers three = new Workers(3)) {
            assertThat(LogisticRegression.fit(x, y, d, 0, three)).as("any concurrency, the same sums").isEqualTo(w);
        }
        // the penalty pulls every weight towards zero, not the intercept
        double[] shrunk = LogisticRegression.fit(x, y, d, 0.1, Workers.SEQUENTIAL);
        assertThat(Math.abs(shrunk[0])).isLessThan(Math.abs(w[0]));
        assertThat(Math.abs(shrunk[2])).isLessThan(Math.abs(w[2]));
    }

    @Test
    void theHeadNeverReadsTheLikesOfUsersOutsideTheFittingUsers() throws IOException {
        GraphSnapshot real = Snapshots.of(DatasetReader.read(TestNeo4j.DATA,
                TestNeo4j.DATA.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC));
        int n = real.userCount();
        Random random = new Random(11);
        boolean[] fitting = new boolean[n];
        for (int u = 0; u < n; u++) {
            fitting[u] = random.nextDouble() < 0.7;
        }
        int[] fitUsers = java.util.stream.IntStream.range(0, n).filter(u -> fitting[u]).toArray();
        GraphSnapshot changed = withOtherLikes(real, fitting);
        float[] head = ArtistHeadFit.fit(real, fitUsers, 4, Workers.SEQUENTIAL);
        assertThat(ArtistHeadFit.fit(changed, fitUsers, 4, Workers.SEQUENTIAL)).isEqualTo(head);
        try (Workers three = new Workers(3)) {
            assertThat(ArtistHeadFit.fit(real, fitUsers, 4, three)).as("any concurrency").isEqualTo(head);
        }
        // the likes that are read do count: the same fit on the changed graph's fitting users differs
        int[] others = java.util.stream.IntStream.range(0, n).filter(u -> !fitting[u]).toArray();
        assertThat(ArtistHeadFit.fit(changed, others, 4, Workers.SEQUENTIAL))
                .isNotEqualTo(ArtistHeadFit.fit(real, others, 4, Workers.SEQUENTIAL));
        // a user whose likes are hidden: its features are those of its neighbourhood, whatever it likes itself
        ArtistSignals before = new ArtistSignals(real, fitting);
        ArtistSignals after = new ArtistSignals(changed, fitting);
        int width = ArtistPairFeatures.WIDTH;
        for (int u : Arrays.copyOf(others, 50)) {
            float[] a = new float[real.artistCount() * width];
            float[] b = new float[a.length];
            ArtistPairFeatures.User fa = ArtistPairFeatures.of(before, u);
            ArtistPairFeatures.User fb = ArtistPairFeatures.of(after, u);
            for (int artist = 0; artist < real.artistCount(); artist++) {
                fa.fill(artist, a, artist * width);
                fb.fill(artist, b, artist * width);
            }
            assertThat(b).as("user %d", u).isEqualTo(a);
        }
    }

    /**
     * The same graph, with every like of a user outside {@code keep} replaced by a random artist (not a shift of
     * every artist id by one: the fit would not see that relabelling).
     */
    private static GraphSnapshot withOtherLikes(GraphSnapshot g, boolean[] keep) {
        int[] likes = g.likes().clone();
        Random random = new Random(7);
        for (int u = 0; u < g.userCount(); u++) {
            if (!keep[u]) {
                for (int k = g.likeOffsets()[u]; k < g.likeOffsets()[u + 1]; k++) {
                    likes[k] = random.nextInt(g.artistCount());
                }
            }
        }
        return new GraphSnapshot(g.nodeIds(), g.userIds(), g.regions(), g.friendOffsets(), g.friends(), g.likeOffsets(),
                likes, g.artistIds(), g.artistNodeIds(), g.featureSource());
    }
}

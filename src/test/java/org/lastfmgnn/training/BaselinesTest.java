package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.testing.LastFmGraph;

/** The no-learning baselines on the real graph, 5-fold, as FACTS.md measured them. */
class BaselinesTest {
    private static GraphSnapshot graph;

    @BeforeAll
    static void read() throws IOException {
        graph = LastFmGraph.withoutLikes();
    }

    @Test
    void foldsAreStratifiedEqualAndSeeded() {
        int[] folds = Folds.stratified(graph.regions(), 5, 42);
        int[] sizes = new int[5];
        for (int f : folds) {
            sizes[f]++;
        }
        assertThat(java.util.Arrays.stream(sizes).boxed().toList()).allSatisfy(s -> assertThat(s).isBetween(1524, 1525));
        assertThat(Folds.stratified(graph.regions(), 5, 42)).isEqualTo(folds);
        assertThat(Folds.stratified(graph.regions(), 5, 43)).isNotEqualTo(folds);
    }

    @Test
    void neighbourMajorityAndMajorityScoreAsMeasuredBefore() {
        int[] folds = Folds.stratified(graph.regions(), 5, 42);
        double[] nm = new double[5];
        double[] majority = new double[5];
        int classes = graph.classCount();
        for (int f = 0; f < 5; f++) {
            boolean[] train = new boolean[folds.length];
            boolean[] testMask = new boolean[folds.length];
            for (int u = 0; u < folds.length; u++) {
                train[u] = folds[u] != f;
                testMask[u] = folds[u] == f;
            }
            int[] test = Folds.members(testMask);
            nm[f] = Metrics.accuracy(Baselines.neighbourMajority(graph, graph.regions(), train, classes), graph.regions(), test);
            int[] constant = new int[folds.length];
            java.util.Arrays.fill(constant, Baselines.majorityClass(graph.regions(), train, classes));
            majority[f] = Metrics.accuracy(constant, graph.regions(), test);
        }
        // FACTS.md measured the same rule at 0.8712-0.8728 over three other shuffles; this one gives 0.8691. A rule
        // that broke (2-hop fallback gone, ties the other way) moves it by more than the 0.004 around that.
        assertThat(Metrics.mean(nm)).isBetween(0.865, 0.875);
        assertThat(Metrics.mean(majority)).isCloseTo(0.2062, org.assertj.core.data.Offset.offset(0.001));
        assertThat(classes).as("the class count is read from the data").isEqualTo(18);
    }
}

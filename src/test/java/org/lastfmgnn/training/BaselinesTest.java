package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.testing.TestNeo4j;

/** The no-learning baselines on the real graph, 5-fold, as FACTS.md measured them. */
class BaselinesTest {
    private static GraphSnapshot graph;

    @BeforeAll
    static void read() throws IOException {
        graph = Snapshots.of(DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE));
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
    void neighbourMajorityAndLabelPropagationScoreAsMeasuredBefore() {
        int[] folds = Folds.stratified(graph.regions(), 5, 42);
        double[] nm = new double[5];
        double[] lp = new double[5];
        double[] majority = new double[5];
        for (int f = 0; f < 5; f++) {
            boolean[] train = new boolean[folds.length];
            boolean[] testMask = new boolean[folds.length];
            for (int u = 0; u < folds.length; u++) {
                train[u] = folds[u] != f;
                testMask[u] = folds[u] == f;
            }
            int[] test = Folds.members(testMask);
            nm[f] = Metrics.accuracy(Baselines.neighbourMajority(graph, graph.regions(), train, 18), graph.regions(), test);
            lp[f] = Metrics.accuracy(Baselines.labelPropagation(graph, graph.regions(), train, 18), graph.regions(), test);
            int[] constant = new int[folds.length];
            java.util.Arrays.fill(constant, Baselines.majorityClass(graph.regions(), train, 18));
            majority[f] = Metrics.accuracy(constant, graph.regions(), test);
        }
        System.out.printf("majority %.4f, neighbour majority %.4f, label propagation %.4f%n",
                Metrics.mean(majority), Metrics.mean(nm), Metrics.mean(lp));
        assertThat(Metrics.mean(majority)).isBetween(0.20, 0.21);
        assertThat(Metrics.mean(nm)).isBetween(0.86, 0.88);
        assertThat(Metrics.mean(lp)).isBetween(0.86, 0.90);
    }
}

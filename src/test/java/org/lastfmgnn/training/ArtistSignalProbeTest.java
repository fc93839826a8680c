package org.lastfmgnn.training;

import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.recommend.ArtistBaselines;
import org.lastfmgnn.recommend.Ranking;
import org.lastfmgnn.recommend.RankingReport;
import org.lastfmgnn.testing.TestNeo4j;

@Tag("benchmark")
class ArtistSignalProbeTest {
    @Test
    void probe() throws IOException {
        GraphSnapshot g = Snapshots.of(DatasetReader.read(TestNeo4j.DATA,
                TestNeo4j.DATA.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC));
        int n = g.userCount();
        int A = g.artistCount();
        int[] zeros = new int[n];
        int[] folds = Folds.stratified(zeros, 5, 42);
        boolean[] train = new boolean[n];
        for (int u = 0; u < n; u++) {
            train[u] = folds[u] != 0;
        }
        float[] pop = ArtistBaselines.popularity(g, train);
        long trainCount = java.util.stream.IntStream.range(0, n).filter(u -> train[u]).count();
        for (double beta : new double[] {0, 0.1, 0.25, 0.5, 1, 2}) {
            for (int hops : new int[] {1, 2}) {
                RankingReport report = new RankingReport();
                for (int u = 0; u < n; u++) {
                    if (train[u]) {
                        continue;
                    }
                    float[] frac = new float[A];
                    int visible = 0;
                    java.util.Set<Integer> nbrs = new java.util.HashSet<>();
                    for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
                        nbrs.add(g.friends()[e]);
                        if (hops == 2) {
                            int v = g.friends()[e];
                            for (int f = g.friendOffsets()[v]; f < g.friendOffsets()[v + 1]; f++) {
                                if (g.friends()[f] != u) {
                                    nbrs.add(g.friends()[f]);
                                }
                            }
                        }
                    }
                    for (int v : nbrs) {
                        if (train[v]) {
                            visible++;
                            for (int k = g.likeOffsets()[v]; k < g.likeOffsets()[v + 1]; k++) {
                                frac[g.likes()[k]]++;
                            }
                        }
                    }
                    float[] score = new float[A];
                    for (int a = 0; a < A; a++) {
                        float p = pop[a] / trainCount;
                        score[a] = (float) (p + beta * (visible == 0 ? 0 : frac[a] / visible - p));
                    }
                    int[] liked = java.util.Arrays.copyOfRange(g.likes(), g.likeOffsets()[u], g.likeOffsets()[u + 1]);
                    java.util.Arrays.sort(liked);
                    report.add(Ranking.topK(score, 0, A, 20, new int[0]), liked);
                }
                System.out.println("PROBE beta " + beta + " hops " + hops + " " + report.toMap());
            }
        }
    }
}

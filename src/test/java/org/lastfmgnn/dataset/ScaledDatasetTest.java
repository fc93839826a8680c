package org.lastfmgnn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lastfmgnn.testing.TestNeo4j;

class ScaledDatasetTest {
    @TempDir
    Path dir;

    @Test
    void threeTimesTheGraphKeepsDegreesRegionsAndLikesAndReadsBackAsSynthetic() throws IOException {
        LastFmDataset base = DatasetReader.read(TestNeo4j.DATA, TestNeo4j.DATA.resolve(DatasetFiles.SYNTHETIC_FEATURES),
                FeatureSource.SYNTHETIC);
        ScaledDataset.write(base, 3, 0.1, 7, dir);
        LastFmDataset scaled = DatasetReader.read(dir, dir.resolve(ScaledDataset.LIKES_FILE), FeatureSource.SYNTHETIC);

        assertThat(scaled.userCount()).isEqualTo(3 * base.userCount());
        assertThat(scaled.friendshipCount()).isEqualTo(3 * base.friendshipCount());
        assertThat(scaled.likeCount()).isEqualTo(3 * base.likeCount());
        assertThat(FeatureFile.classify(dir.resolve(ScaledDataset.LIKES_FILE))).isEqualTo(FeatureSource.SYNTHETIC);
        // every a-end keeps its copy, so the mean degree is exact; the b-end moves: the degree spread stays close
        assertThat(meanDegree(scaled)).isCloseTo(meanDegree(base), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(maxDegree(scaled)).isBetween(maxDegree(base) / 2, maxDegree(base) * 2);
        assertThat(sameRegionShare(scaled)).isCloseTo(sameRegionShare(base), org.assertj.core.data.Offset.offset(0.01));
        // copies are tied together: about 10% of friendships cross copies (2/3 of the rewired ones land elsewhere)
        long span = Arrays.stream(base.userIds()).max().orElseThrow() + 1L;
        long crossing = 0;
        for (int e = 0; e < scaled.friendshipCount(); e++) {
            if (scaled.userIds()[scaled.friendA()[e]] / span != scaled.userIds()[scaled.friendB()[e]] / span) {
                crossing++;
            }
        }
        assertThat(crossing / (double) scaled.friendshipCount()).isBetween(0.05, 0.09);
    }

    @Test
    void theSameSeedWritesTheSameFiles() throws IOException {
        LastFmDataset base = DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE);
        ScaledDataset.write(base, 2, 0.1, 7, dir.resolve("a"));
        ScaledDataset.write(base, 2, 0.1, 7, dir.resolve("b"));
        ScaledDataset.write(base, 2, 0.1, 8, dir.resolve("c"));
        byte[] a = Files.readAllBytes(dir.resolve("a").resolve(DatasetFiles.FRIENDSHIPS));
        assertThat(a).isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(DatasetFiles.FRIENDSHIPS)));
        assertThat(a).isNotEqualTo(Files.readAllBytes(dir.resolve("c").resolve(DatasetFiles.FRIENDSHIPS)));
    }

    private static double meanDegree(LastFmDataset d) {
        return 2.0 * d.friendshipCount() / d.userCount();
    }

    private static int maxDegree(LastFmDataset d) {
        int[] degree = new int[d.userCount()];
        for (int e = 0; e < d.friendshipCount(); e++) {
            degree[d.friendA()[e]]++;
            degree[d.friendB()[e]]++;
        }
        return Arrays.stream(degree).max().orElseThrow();
    }

    private static double sameRegionShare(LastFmDataset d) {
        long same = 0;
        for (int e = 0; e < d.friendshipCount(); e++) {
            same += d.regions()[d.friendA()[e]] == d.regions()[d.friendB()[e]] ? 1 : 0;
        }
        return same / (double) d.friendshipCount();
    }
}

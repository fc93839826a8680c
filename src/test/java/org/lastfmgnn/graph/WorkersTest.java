package org.lastfmgnn.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.recommend.ArtistBaselines;
import org.lastfmgnn.recommend.ArtistSignals;
import org.lastfmgnn.testing.TestNeo4j;

/** The workers visit every index once, fail loudly, never wait on themselves, and change no result. */
class WorkersTest {
    @Test
    void everyIndexRunsExactlyOnceAtAnyConcurrency() {
        for (int concurrency : new int[] {1, 2, 3}) {
            try (Workers workers = new Workers(concurrency)) {
                for (int n : new int[] {0, 1, 2, 7, 1000, 12_345}) {
                    AtomicIntegerArray visits = new AtomicIntegerArray(n);
                    workers.forEach(n, visits::incrementAndGet);
                    for (int i = 0; i < n; i++) {
                        assertThat(visits.get(i)).as("index %d of %d at concurrency %d", i, n, concurrency).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void aFailureIsRethrownAndTheWorkersStillWork() {
        try (Workers workers = new Workers(3)) {
            assertThatThrownBy(() -> workers.forEach(10_000, i -> {
                if (i == 7_777) {
                    throw new IllegalStateException("index 7777");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("index 7777");
            AtomicIntegerArray visits = new AtomicIntegerArray(100);
            workers.forEach(100, visits::incrementAndGet);
            assertThat(visits.get(99)).isEqualTo(1);
        }
        assertThatThrownBy(() -> new Workers(0)).hasMessageContaining("at least 1");
    }

    @Test
    void aLoopInsideALoopRunsOnItsThreadInsteadOfWaitingForItself() {
        try (Workers workers = new Workers(2)) {
            AtomicIntegerArray visits = new AtomicIntegerArray(50 * 50);
            assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> workers.forEach(50, i -> workers.forEach(50, j -> visits.incrementAndGet(i * 50 + j))));
            for (int k = 0; k < visits.length(); k++) {
                assertThat(visits.get(k)).isEqualTo(1);
            }
        }
    }

    /** The artist signals the workers build (item-kNN rows, blend tuning) are those of one thread, to the bit. */
    @Test
    void artistSignalsAreTheSameWithOneOrThreeThreads() throws Exception {
        GraphSnapshot g = Snapshots.of(DatasetReader.read(TestNeo4j.DATA,
                TestNeo4j.DATA.resolve(DatasetFiles.SYNTHETIC_FEATURES), FeatureSource.SYNTHETIC));
        int n = g.userCount();
        boolean[] visible = new boolean[n];
        Random random = new Random(5);
        int[] hidden = new int[120];
        int h = 0;
        for (int u = 0; u < n; u++) {
            visible[u] = random.nextDouble() < 0.8 || h == hidden.length;
            if (!visible[u]) {
                hidden[h++] = u;
            }
        }
        ArtistSignals one = new ArtistSignals(g, visible, Workers.SEQUENTIAL);
        double[] blendOne = ArtistBaselines.tuneBlend(g, one, hidden, 9, Workers.SEQUENTIAL);
        try (Workers three = new Workers(3)) {
            ArtistSignals many = new ArtistSignals(g, visible, three);
            for (int u : hidden) {
                assertThat(many.itemNeighbours(u)).as("item-kNN of user %d", u).isEqualTo(one.itemNeighbours(u));
            }
            assertThat(ArtistBaselines.tuneBlend(g, many, hidden, 9, three)).isEqualTo(blendOne);
            // two nested visible sets built in one pass: each the structure it gets alone
            boolean[] fewer = visible.clone();
            for (int u = 0; u < n; u += 3) {
                fewer[u] = false;
            }
            ArtistSignals inner = new ArtistSignals(g, fewer, three);
            ArtistSignals outer = new ArtistSignals(g, visible, three);
            ArtistSignals.buildItemNeighbours(inner, outer);
            ArtistSignals innerAlone = new ArtistSignals(g, fewer, Workers.SEQUENTIAL);
            for (int u : hidden) {
                assertThat(outer.itemNeighbours(u)).as("outer item-kNN of user %d", u).isEqualTo(one.itemNeighbours(u));
                assertThat(inner.itemNeighbours(u)).as("inner item-kNN of user %d", u).isEqualTo(innerAlone.itemNeighbours(u));
            }
            assertThat(inner.itemNeighbours(hidden[0])).isNotEqualTo(outer.itemNeighbours(hidden[0]));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ArtistSignals.buildItemNeighbours(outer, inner))
                    .hasMessageContaining("not nested");
        }
    }
}

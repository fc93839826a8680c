package org.lastfmgnn.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;

/** The real LastFM Asia graph of the project's data folder, for tests that run our code on it without a server. */
public final class LastFmGraph {
    private LastFmGraph() {
    }

    /** Users, friendships and regions; no likes. */
    public static GraphSnapshot withoutLikes() {
        try {
            return Snapshots.of(DatasetReader.read(TestNeo4j.DATA, null, FeatureSource.NONE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

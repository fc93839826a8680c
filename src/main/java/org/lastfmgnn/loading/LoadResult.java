package org.lastfmgnn.loading;

/**
 * What {@code lastfm.load} yields: the dataset's counts (what the graph now holds of it), what this call
 * changed, and how fast it wrote.
 */
public record LoadResult(
        long users,
        long friendships,
        long artists,
        long likes,
        String featureSource,
        long nodesCreated,
        long relationshipsCreated,
        long propertiesSet,
        long readMillis,
        long writeMillis,
        long loadMillis,
        double relationshipsPerSecond) {
}

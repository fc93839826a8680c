package org.lastfmgnn.dataset;

/**
 * The LastFM Asia files, parsed and validated, held in flat arrays.
 *
 * @param userIds        user ids in file order; a user's index is its position here
 * @param regions        region (class id) per user index
 * @param friendA        first user index of each friendship (each mutual friendship once)
 * @param friendB        second user index of each friendship
 * @param likeOffsets    CSR offsets into {@code likedArtists}, one per user index plus one
 * @param likedArtists   artist ids, sorted within each user
 * @param artistIds      the distinct artist ids that appear in the likes, ascending
 * @param featureSource  where the likes came from
 */
public record LastFmDataset(
        int[] userIds,
        int[] regions,
        int[] friendA,
        int[] friendB,
        int[] likeOffsets,
        int[] likedArtists,
        int[] artistIds,
        FeatureSource featureSource) {

    public int userCount() {
        return userIds.length;
    }

    public int friendshipCount() {
        return friendA.length;
    }

    public int artistCount() {
        return artistIds.length;
    }

    public long likeCount() {
        return likedArtists.length;
    }
}

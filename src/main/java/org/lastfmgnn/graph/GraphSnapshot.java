package org.lastfmgnn.graph;

/**
 * The users, friendships, regions and likes of the graph, exported once into flat arrays that the training
 * code reads without touching the database. Index i is a user; friendships are undirected (both directions
 * in the CSR); likes are a sparse user x artist matrix in CSR form.
 *
 * @param nodeIds       Neo4j internal node id per user index (for write-back)
 * @param userIds       the {@code User.id} per user index, ascending
 * @param regions       region per user index, -1 where the user has none
 * @param friendOffsets CSR offsets of each user's friends
 * @param friends       friend user indexes
 * @param likeOffsets   CSR offsets of each user's liked artists
 * @param likes         artist indexes
 * @param artistIds     the {@code Artist.id} per artist index
 * @param artistNodeIds Neo4j internal node id per artist index (for write-back)
 * @param featureSource where the likes came from ('none', 'synthetic', 'real', 'unverified')
 */
public record GraphSnapshot(
        long[] nodeIds,
        long[] userIds,
        int[] regions,
        int[] friendOffsets,
        int[] friends,
        int[] likeOffsets,
        int[] likes,
        int[] artistIds,
        long[] artistNodeIds,
        String featureSource) {
    public int userCount() {
        return userIds.length;
    }

    public int artistCount() {
        return artistIds.length;
    }

    public int degree(int user) {
        return friendOffsets[user + 1] - friendOffsets[user];
    }

    /** Friendships counted once. */
    public long friendshipCount() {
        return friends.length / 2;
    }

    /** The index of the user with this id, or a negative number when there is none. */
    public int indexOf(long userId) {
        return java.util.Arrays.binarySearch(userIds, userId);
    }

    /** Number of classes: one more than the largest region id in the data (at least 1). */
    public int classCount() {
        int max = 0;
        for (int r : regions) {
            max = Math.max(max, r);
        }
        return max + 1;
    }
}

package org.lastfmgnn.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;
import org.lastfmgnn.store.GraphModel;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

/**
 * Reads users, friendships, regions and likes through the Transaction API into a {@link GraphSnapshot}.
 * With a user query only the users it returns, and the friendships among them, are exported.
 */
@SuppressWarnings("deprecation") // internal ids: the write-back handle and the cheapest join key
public final class GraphExporter {
    private GraphExporter() {
    }

    /** @param userQuery null for all users, else Cypher returning users in a column named {@code u}. */
    public static GraphSnapshot export(Transaction tx, String userQuery) {
        return export(tx, userQuery, true);
    }

    /** @param withLikes false skips the (millions of) likes when only the friendships are needed */
    public static GraphSnapshot export(Transaction tx, String userQuery, boolean withLikes) {
        List<Node> users = userQuery == null ? allUsers(tx) : queriedUsers(tx, userQuery);
        users.sort((a, b) -> Long.compare(((Number) a.getProperty(GraphModel.ID)).longValue(),
                ((Number) b.getProperty(GraphModel.ID)).longValue()));
        int n = users.size();
        long[] nodeIds = new long[n];
        long[] userIds = new long[n];
        int[] regions = new int[n];
        Map<Long, Integer> indexByNode = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Node u = users.get(i);
            nodeIds[i] = u.getId();
            userIds[i] = ((Number) u.getProperty(GraphModel.ID)).longValue();
            Object region = u.getProperty(GraphModel.REGION, null);
            regions[i] = region instanceof Number r ? r.intValue() : -1;
            indexByNode.put(nodeIds[i], i);
        }
        int[] friendOffsets = new int[n + 1];
        IntList friends = new IntList();
        int[] likeOffsets = new int[n + 1];
        // all users: the count store knows the likes, so the array is made once at its size (at 300M likes, growing
        // by doubling needs three times the final array at the last copy)
        IntList likes = withLikes && userQuery == null ? new IntList(likeCount(tx)) : new IntList();
        Map<Long, Integer> artistByNode = new HashMap<>();
        List<Integer> artistIds = new ArrayList<>();
        List<Long> artistNodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Node u = users.get(i);
            int start = friends.size();
            try (var rels = u.getRelationships(Direction.BOTH, GraphModel.FRIEND)) {
                for (Relationship r : rels) {
                    Integer j = indexByNode.get(r.getOtherNodeId(nodeIds[i]));
                    if (j != null && j != i) {
                        friends.add(j);
                    }
                }
            }
            friends.sortTail(start);
            friendOffsets[i + 1] = friends.size();
            if (!withLikes) {
                likeOffsets[i + 1] = likes.size();
                continue;
            }
            try (var rels = u.getRelationships(Direction.OUTGOING, GraphModel.LIKES)) {
                for (Relationship r : rels) {
                    long artistNode = r.getEndNodeId();
                    Integer a = artistByNode.get(artistNode);
                    if (a == null) {
                        a = artistIds.size();
                        artistByNode.put(artistNode, a);
                        artistIds.add(((Number) r.getEndNode().getProperty(GraphModel.ID)).intValue());
                        artistNodes.add(artistNode);
                    }
                    likes.add(a);
                }
            }
            likeOffsets[i + 1] = likes.size();
        }
        int[] ids = artistIds.stream().mapToInt(Integer::intValue).toArray();
        long[] artistNodeIds = artistNodes.stream().mapToLong(Long::longValue).toArray();
        int[] likeArray = likes.release();
        inIdOrder(ids, artistNodeIds, likeOffsets, likeArray);
        return new GraphSnapshot(nodeIds, userIds, regions, friendOffsets, friends.release(), likeOffsets,
                likeArray, ids, artistNodeIds, featureSource(tx));
    }

    /**
     * Renumbers the artists in order of their ids and sorts each user's likes, in place. As read, an artist's index
     * is the order in which the relationship chains first reached it, and a user's likes come in the store's chain
     * order: both depend on how the likes were written, so that the same data and seed could rank ties (and sum)
     * differently, e.g. NDCG@20 0.580548 inside the server against 0.580553 from the files. In id order the snapshot
     * is the one {@code Snapshots.of} builds from the files.
     */
    static void inIdOrder(int[] ids, long[] nodes, int[] likeOffsets, int[] likes) {
        Integer[] order = new Integer[ids.length];
        for (int a = 0; a < order.length; a++) {
            order[a] = a;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(ids[a], ids[b]));
        int[] newIndex = new int[ids.length];
        int[] sortedIds = new int[ids.length];
        long[] sortedNodes = new long[nodes.length];
        for (int r = 0; r < order.length; r++) {
            newIndex[order[r]] = r;
            sortedIds[r] = ids[order[r]];
            sortedNodes[r] = nodes[order[r]];
        }
        System.arraycopy(sortedIds, 0, ids, 0, ids.length);
        System.arraycopy(sortedNodes, 0, nodes, 0, nodes.length);
        for (int k = 0; k < likes.length; k++) {
            likes[k] = newIndex[likes[k]];
        }
        for (int u = 0; u + 1 < likeOffsets.length; u++) {
            java.util.Arrays.sort(likes, likeOffsets[u], likeOffsets[u + 1]);
        }
    }

    /** (:User)-[:LIKES]->() from Neo4j's count store (no relationship is read), at most Integer.MAX_VALUE. */
    private static int likeCount(Transaction tx) {
        try (var result = tx.execute("MATCH (:User)-[l:LIKES]->() RETURN count(l) AS n")) {
            return (int) Math.min(Integer.MAX_VALUE - 8, ((Number) result.next().get("n")).longValue());
        }
    }

    private static List<Node> allUsers(Transaction tx) {
        List<Node> users = new ArrayList<>();
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.USER)) {
            it.forEachRemaining(users::add);
        }
        return users;
    }

    private static List<Node> queriedUsers(Transaction tx, String query) {
        List<Node> users = new ArrayList<>();
        try (var result = tx.execute(query)) {
            if (!result.columns().contains("u")) {
                throw new IllegalArgumentException("userQuery must return the users in a column named 'u', got " + result.columns());
            }
            try (ResourceIterator<Node> column = result.columnAs("u")) {
                column.forEachRemaining(node -> {
                    if (!node.hasLabel(GraphModel.USER)) {
                        throw new IllegalArgumentException("userQuery returned a node that is not a :User: " + node.getLabels());
                    }
                    users.add(node);
                });
            }
        }
        return new ArrayList<>(users.stream().distinct().toList());
    }

    private static String featureSource(Transaction tx) {
        Node dataset = tx.findNode(GraphModel.DATASET, "name", "lastfm_asia");
        return dataset == null ? "none" : (String) dataset.getProperty(GraphModel.FEATURE_SOURCE, "none");
    }
}

package org.lastfmgnn.loading;

import java.util.Arrays;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.dataset.LastFmDataset;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.store.BatchedTransactions;
import org.lastfmgnn.store.GraphModel;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

/**
 * Writes a validated {@link LastFmDataset} into the graph, idempotently: what exists is matched, only what is
 * missing is created, nothing is deleted. A second load of the same files changes nothing.
 */
@SuppressWarnings("deprecation") // internal ids are the cheapest handle on a node across batch transactions
public final class DatasetWriter {
    /** What a write changed. */
    public record Changes(long nodesCreated, long relationshipsCreated, long propertiesSet) {
    }

    private final GraphDatabaseService db;
    private final int batchSize;
    private final ProgressTracker progress;
    private long nodesCreated;
    private long relationshipsCreated;
    private long propertiesSet;

    public DatasetWriter(GraphDatabaseService db, int batchSize, ProgressTracker progress) {
        this.db = db;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    public Changes write(LastFmDataset data) {
        GraphModel.ensureConstraints(db);
        refuseMixedLikes(data.featureSource());
        long[] userNodes = new long[data.userCount()];
        boolean[] existed = new boolean[data.userCount()];
        progress.stage("users");
        writeUsers(data, userNodes, existed);
        progress.stage("artists");
        long[] artistNodes = writeArtists(data);
        progress.stage("friendships");
        writeFriendships(data, userNodes, existed);
        progress.stage("likes");
        writeLikes(data, userNodes, existed, artistNodes);
        writeDatasetNode(data);
        return new Changes(nodesCreated, relationshipsCreated, propertiesSet);
    }

    /** Likes from two sources in one graph would make every artist number meaningless. */
    private void refuseMixedLikes(FeatureSource incoming) {
        if (incoming == FeatureSource.NONE) {
            return;
        }
        try (Transaction tx = db.beginTx()) {
            Node dataset = tx.findNode(GraphModel.DATASET, "name", "lastfm_asia");
            String existing = dataset == null ? null : (String) dataset.getProperty(GraphModel.FEATURE_SOURCE, null);
            boolean hasLikes;
            try (var result = tx.execute("MATCH ()-[l:LIKES]->() RETURN l LIMIT 1")) {
                hasLikes = result.hasNext();
            }
            if (hasLikes && existing != null && !existing.equals(incoming.label())) {
                throw new IllegalStateException("The graph already holds LIKES loaded from '" + existing
                        + "' features; loading '" + incoming.label() + "' features would mix them. Delete them first: "
                        + "MATCH ()-[l:LIKES]->() CALL (l) { DELETE l } IN TRANSACTIONS");
            }
        }
    }

    private void writeUsers(LastFmDataset data, long[] userNodes, boolean[] existed) {
        try (BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (int u = 0; u < data.userCount(); u++) {
                Transaction tx = batches.tx();
                Node node = tx.findNode(GraphModel.USER, GraphModel.ID, (long) data.userIds()[u]);
                existed[u] = node != null;
                if (node == null) {
                    node = tx.createNode(GraphModel.USER);
                    node.setProperty(GraphModel.ID, (long) data.userIds()[u]);
                    nodesCreated++;
                }
                // Cypher integers are longs: store longs so that a LOAD CSV graph and ours compare equal.
                if (!(node.getProperty(GraphModel.REGION, null) instanceof Number region
                        && region.longValue() == data.regions()[u])) {
                    node.setProperty(GraphModel.REGION, (long) data.regions()[u]);
                    propertiesSet++;
                }
                userNodes[u] = node.getId();
                batches.done(1);
                progress.advance(1);
            }
        }
    }

    /** Returns the node id of each artist id (-1 where the id does not occur in the likes). */
    private long[] writeArtists(LastFmDataset data) {
        int[] ids = data.artistIds();
        long[] nodes = new long[ids.length == 0 ? 0 : ids[ids.length - 1] + 1];
        Arrays.fill(nodes, -1);
        try (BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (int id : ids) {
                Transaction tx = batches.tx();
                Node node = tx.findNode(GraphModel.ARTIST, GraphModel.ID, (long) id);
                if (node == null) {
                    node = tx.createNode(GraphModel.ARTIST);
                    node.setProperty(GraphModel.ID, (long) id);
                    nodesCreated++;
                }
                nodes[id] = node.getId();
                batches.done(1);
            }
        }
        return nodes;
    }

    private void writeFriendships(LastFmDataset data, long[] userNodes, boolean[] existed) {
        try (BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (int e = 0; e < data.friendshipCount(); e++) {
                int a = data.friendA()[e];
                int b = data.friendB()[e];
                Transaction tx = batches.tx();
                Node source = tx.getNodeById(userNodes[a]);
                Node target = tx.getNodeById(userNodes[b]);
                // Only two users that were already there can already be friends.
                if (!(existed[a] && existed[b] && areFriends(source, userNodes[b]))) {
                    source.createRelationshipTo(target, GraphModel.FRIEND);
                    relationshipsCreated++;
                }
                batches.done(1);
                progress.advance(1);
            }
        }
    }

    private static boolean areFriends(Node source, long otherId) {
        try (var rels = source.getRelationships(Direction.BOTH, GraphModel.FRIEND)) {
            for (Relationship r : rels) {
                if (r.getOtherNodeId(source.getId()) == otherId) {
                    return true;
                }
            }
        }
        return false;
    }

    private void writeLikes(LastFmDataset data, long[] userNodes, boolean[] existed, long[] artistNodes) {
        int[] offsets = data.likeOffsets();
        int[] artists = data.likedArtists();
        try (BatchedTransactions batches = new BatchedTransactions(db, batchSize)) {
            for (int u = 0; u < data.userCount(); u++) {
                int from = offsets[u];
                int to = offsets[u + 1];
                if (from == to) {
                    continue;
                }
                Transaction tx = batches.tx();
                Node user = tx.getNodeById(userNodes[u]);
                long[] alreadyLiked = existed[u] ? likedArtistNodes(user) : new long[0];
                int created = 0;
                for (int i = from; i < to; i++) {
                    long artistNode = artistNodes[artists[i]];
                    if (alreadyLiked.length == 0 || Arrays.binarySearch(alreadyLiked, artistNode) < 0) {
                        user.createRelationshipTo(tx.getNodeById(artistNode), GraphModel.LIKES);
                        created++;
                    }
                }
                relationshipsCreated += created;
                batches.done(Math.max(1, created));
                progress.advance(to - from);
            }
        }
    }

    private static long[] likedArtistNodes(Node user) {
        if (user.getDegree(GraphModel.LIKES, Direction.OUTGOING) == 0) {
            return new long[0];
        }
        try (var rels = user.getRelationships(Direction.OUTGOING, GraphModel.LIKES)) {
            return rels.stream().mapToLong(Relationship::getEndNodeId).sorted().toArray();
        }
    }

    private void writeDatasetNode(LastFmDataset data) {
        try (Transaction tx = db.beginTx()) {
            Node dataset = tx.findNode(GraphModel.DATASET, "name", "lastfm_asia");
            if (dataset == null) {
                dataset = tx.createNode(GraphModel.DATASET);
                dataset.setProperty("name", "lastfm_asia");
                nodesCreated++;
            }
            // "none" loads no likes and so leaves the record of earlier likes as it is
            if (data.featureSource() != FeatureSource.NONE || !dataset.hasProperty(GraphModel.FEATURE_SOURCE)) {
                dataset.setProperty(GraphModel.FEATURE_SOURCE, data.featureSource().label());
            }
            tx.commit();
        }
    }
}

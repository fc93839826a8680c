package org.lastfmgnn.procedures;

import org.lastfmgnn.store.GraphModel;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

/** Finding a user by id, with the error every procedure gives for a bad one. */
final class UserLookup {
    private UserLookup() {
    }

    static Node require(Transaction tx, long userId) {
        if (userId < 0) {
            throw new IllegalArgumentException("User ids are non-negative, got " + userId);
        }
        Node user = tx.findNode(GraphModel.USER, GraphModel.ID, userId);
        if (user == null) {
            throw new IllegalArgumentException("No user with id " + userId + " (load the data with CALL lastfm.load())");
        }
        return user;
    }
}

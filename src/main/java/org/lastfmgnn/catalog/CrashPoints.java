package org.lastfmgnn.catalog;

/**
 * Fault injection for the crash tests: the process stops dead (as SIGKILL would: no shutdown hooks, nothing
 * flushed) when it reaches the point named by {@code -Dlastfm.gnn.crashAt}. Inert otherwise. The points of a
 * model's commit, in order: {@code save} (files written, not yet flushed or renamed into place), {@code saved},
 * {@code writeBack} (after the first committed batch of predictions), {@code writtenBack}, {@code recorded}
 * (the record is committed, the version not yet in use).
 */
public final class CrashPoints {
    public static final String PROPERTY = "lastfm.gnn.crashAt";

    private CrashPoints() {
    }

    public static void reached(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            System.err.println("lastfm-gnn: crash point '" + point + "' reached, halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}

package org.lastfmgnn.model;

import java.util.Locale;

/** The three models: two graph networks and the baseline that sees the same inputs without message passing. */
public enum Architecture {
    GCN,
    GAT,
    MLP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Architecture of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

package org.lastfmgnn.dataset;

import java.util.Locale;

/**
 * Where the artist likes in the graph came from. Every number measured with artist features carries this,
 * because the synthetic stand-in was generated from the real regions and must never pass for real data.
 */
public enum FeatureSource {
    /** No artist likes loaded. */
    NONE,
    /** The synthetic stand-in shipped in data/. */
    SYNTHETIC,
    /** The SNAP file, verified by its git blob id. */
    REAL,
    /** A likes file in the real format whose content is not the verified SNAP file. */
    UNVERIFIED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FeatureSource fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

package org.lastfmgnn.dataset;

/** The file names of the LastFM Asia dataset, as published (SNAP feather-lastfm-social). */
public final class DatasetFiles {
    public static final String USERS = "lastfm_asia_target.csv";
    public static final String FRIENDSHIPS = "lastfm_asia_edges.csv";
    public static final String REAL_FEATURES = "lastfm_asia_features.json";
    public static final String SYNTHETIC_FEATURES = "lastfm_asia_features.synthetic.json.gz";
    /** {@code git hash-object lastfm_asia_features.json} of the published file (see data/README.md). */
    public static final String REAL_FEATURES_BLOB_ID = "e8606ab45b45f53ab763c6c57e9da0b6f7e5ab01";

    private DatasetFiles() {
    }
}

package org.lastfmgnn.export;

import java.util.List;
import java.util.Map;
import org.lastfmgnn.config.ConfigMap;
import org.lastfmgnn.training.Evaluation;

/**
 * Configuration of {@code lastfm.gnn.export}.
 *
 * @param file       the archive's path relative to Neo4j's import directory; must end in {@code .npz}
 * @param evaluation the rounds whose masks the archive carries: {@code folds} or {@code split}, as in train
 * @param randomSeed the rounds' seed, as in train (the same seed gives train's rounds)
 * @param userQuery  null for every user, else Cypher returning users in a column named {@code u}
 * @param likes      whether the liked artists go in too (when loaded)
 */
public record ExportConfig(String file, Evaluation evaluation, long randomSeed, String userQuery, boolean likes) {
    public static final String PROCEDURE = "lastfm.gnn.export";
    public static final List<String> KEYS = List.of("file", "folds", "split", "randomSeed", "userQuery", "likes");

    public static ExportConfig parse(Map<String, Object> raw) {
        ConfigMap config = ConfigMap.of(PROCEDURE, raw, KEYS);
        String file = config.string("file", "lastfm-gnn.npz");
        if (!file.endsWith(".npz")) {
            throw new IllegalArgumentException(PROCEDURE + ": 'file' must end in .npz (numpy.load reads it by that), got '"
                    + file + "'");
        }
        return new ExportConfig(file, Evaluation.parse(PROCEDURE, config, raw == null ? Map.of() : raw),
                config.integer("randomSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE), config.string("userQuery", null),
                config.bool("likes", true));
    }
}

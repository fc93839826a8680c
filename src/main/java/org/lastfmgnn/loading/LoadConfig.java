package org.lastfmgnn.loading;

import java.util.List;
import java.util.Map;
import org.lastfmgnn.config.ConfigMap;

/**
 * Configuration of {@code lastfm.load}.
 *
 * @param directory folder with the dataset files, relative to Neo4j's import directory
 * @param features  'auto' | 'none' | 'synthetic' | a likes file name in {@code directory}
 * @param batchSize operations per write transaction
 */
public record LoadConfig(String directory, String features, int batchSize) {
    public static final List<String> KEYS = List.of("directory", "features", "batchSize");
    public static final int DEFAULT_BATCH_SIZE = 50_000;

    public static LoadConfig parse(Map<String, Object> raw) {
        ConfigMap config = ConfigMap.of("lastfm.load", raw, KEYS);
        return new LoadConfig(
                config.string("directory", ""),
                config.string("features", "auto"),
                (int) config.integer("batchSize", DEFAULT_BATCH_SIZE, 1, 1_000_000));
    }
}

package org.lastfmgnn.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved models of an older format: a region model of format 3 is still read (its layout did not change); artist
 * models of format 3 (per-artist wide weights, before the logistic head), 4 (a head of one input fewer, before the
 * kriged likes) and 5 (a head fitted on unshrunk regional shares) are refused with a request to retrain them, instead of failing later on a count or shape of weights.
 */
class StoredFormatTest {

    @Test
    void anArtistModelFromBeforeTheHeadIsRefusedByNameAndARegionModelOfTheSameFormatIsRead(@TempDir Path root)
            throws Exception {
        ModelStore store = new ModelStore(root);
        save(store, model("old-artists", "artists", 3));
        save(store, model("head-artists", "artists", 4));
        save(store, model("unshrunk-artists", "artists", 5));
        save(store, model("old-region", "region", 3));
        save(store, model("new-artists", "artists", StoredModel.FORMAT_VERSION));
        assertThat(store.describe("old-region").task()).isEqualTo("region");
        assertThat(store.describe("new-artists").formatVersion()).isEqualTo(StoredModel.FORMAT_VERSION);
        assertThatThrownBy(() -> store.describe("old-artists"))
                .hasMessageContaining("Model 'old-artists' was saved in format 3")
                .hasMessageContaining("artist models from " + StoredModel.ARTIST_HEAD_FORMAT)
                .hasMessageContaining("CALL lastfm.gnn.train({modelName: 'old-artists'})");
        assertThatThrownBy(() -> store.describe("head-artists"))
                .hasMessageContaining("Model 'head-artists' was saved in format 4")
                .hasMessageContaining("artist models from 6");
        assertThatThrownBy(() -> store.describe("unshrunk-artists"))
                .hasMessageContaining("Model 'unshrunk-artists' was saved in format 5")
                .hasMessageContaining("artist models from 6");
    }

    private static void save(ModelStore store, StoredModel model) throws Exception {
        store.save(model, new float[][] {{1, 2}});
        store.promote(model.name(), model.runId());
    }

    private static StoredModel model(String name, String task, int format) {
        return new StoredModel(format, name, "run-" + name, task, "gcn", "gcn", 3, 0, new int[0], 1, 18, 0.2, 0.2,
                List.of("structure"), false, 0, 0, 0, Map.of(), Map.of(), "none", "2026-12-03T00:00:00Z",
                StoredModel.LAYERS);
    }
}

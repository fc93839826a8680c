package org.lastfmgnn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    @Test
    void aFigureTheModeDidNotMeasureIsLeftEmptyNotPrintedAsAFragmentOfNull() {
        Map<String, Object> bench = new HashMap<>();
        bench.put("load", Map.of("relationshipsPerSecond", 70_111.0, "relationships", 3_040_486, "loadMillis", 44_025.0));
        bench.put("exportMillis", 1145.0);
        bench.put("exportMillisWithoutLikes", 43.0);
        String table = BenchReport.table(bench);
        assertThat(table).contains("| machine rates, GFLOP/s |  |").doesNotContain("dense n,");
        assertThat(table).contains("| load rate (SYNTHETIC likes), relationships/s | 70,111 (3,040,486 relationships in 44,025 ms) |");
        bench.put("denseGflops", 87.6);
        Map<String, Object> sparse = new java.util.LinkedHashMap<>();
        sparse.put("propagation@64", 14.234);
        sparse.put("likes@64", 31.5);
        bench.put("sparseGflops", sparse);
        assertThat(BenchReport.table(bench))
                .contains("| machine rates, GFLOP/s | dense 87.6, sparse x dense propagation@64 14.23, likes@64 31.50 |")
                .doesNotContain("measured on");
        bench.put("epochDevice", "gpu(0)");
        assertThat(BenchReport.table(bench)).contains("| rates and epochs measured on | gpu(0) |");
    }

    @Test
    void accuraciesArePrintedToFourDecimals() {
        Map<String, Object> bench = new HashMap<>();
        bench.put("load", Map.of("relationshipsPerSecond", 70_111.0, "relationships", 3_040_486, "loadMillis", 44_025.0));
        bench.put("denseGflops", 87.6);
        bench.put("ours", Map.of("accuracyMean", 0.87893, "macroF1Mean", 0.80451, "trainMillis", 10_313,
                "baselines", Map.of("labelPropagation", 0.8807706208855042, "correctAndSmooth", 0.8795902069618347)));
        assertThat(BenchReport.table(bench))
                .contains("| ours: 5-fold GCN accuracy / macro-F1 / training ms | 0.8789 / 0.8045 / 10,313 |")
                .contains("| same folds, tuned on validation: label propagation / Correct and Smooth | 0.8808 / 0.8796 |");
    }
}

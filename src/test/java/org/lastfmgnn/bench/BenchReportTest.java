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
                .contains("| machine rates, GFLOP/s | dense 87.6, sparse x dense propagation@64 14.23, likes@64 31.50 |");
    }
}

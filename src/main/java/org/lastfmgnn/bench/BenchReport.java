package org.lastfmgnn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** bench.json, and the same figures as a Markdown table (printed, and pasted into BENCHMARKS.md). */
public final class BenchReport {
    private BenchReport() {
    }

    public static Path write(Map<String, Object> bench, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path file = outDir.resolve("bench.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), bench);
        Files.writeString(outDir.resolve("bench.md"), table(bench));
        return file;
    }

    @SuppressWarnings("unchecked")
    public static String table(Map<String, Object> b) {
        StringBuilder t = new StringBuilder("| figure | value |\n|---|---|\n");
        Map<String, Object> load = (Map<String, Object>) b.get("load");
        row(t, "load rate (SYNTHETIC likes), relationships/s", "%,.0f (%,d relationships in %,.0f ms)",
                load.get("relationshipsPerSecond"), load.get("relationships"), load.get("loadMillis"));
        Map<String, Object> bulk = (Map<String, Object>) b.get("bulkImport");
        String bulkName = "first load into an empty store (Neo4j's importer, SYNTHETIC likes), relationships/s";
        if (bulk != null && bulk.containsKey("relationshipsPerSecond")) {
            row(t, bulkName, "%,.0f (%,.0f ms; the first in the JVM: %,.0f, %,d ms)", bulk.get("relationshipsPerSecond"),
                    bulk.get("importMillis"), bulk.get("firstRelationshipsPerSecond"), bulk.get("firstMillis"));
        } else if (bulk != null) {
            row(t, bulkName, "%,.0f (%,d ms, the first in the JVM)", bulk.get("firstRelationshipsPerSecond"),
                    bulk.get("firstMillis"));
        }
        row(t, "graph export, ms", "%.0f with likes, %.0f without", b.get("exportMillis"), b.get("exportMillisWithoutLikes"));
        Map<String, Object> write = (Map<String, Object>) b.getOrDefault("writeBack", Map.of());
        row(t, "write-back, node properties/s", "%,.0f", write.get("nodePropertiesPerSecond"));
        row(t, "write-back, relationships/s (3 properties each)", "%,.0f", write.get("relationshipsPerSecond"));
        row(t, "machine rates, GFLOP/s", "dense %.1f, sparse x dense %s", b.get("denseGflops"), sparseRates(b.get("sparseGflops")));
        if (b.containsKey("epochDevice")) {
            row(t, "rates and epochs measured on", "%s", b.get("epochDevice"));
        }
        if (b.containsKey("region")) {
            Map<String, Object> region = (Map<String, Object>) b.get("region");
            t.append("\n5-fold, fold seeds ").append(region.getOrDefault("seeds", BenchMode.REPORTED_SEEDS)).append(" (model: auto; every other row a "
                    + "baseline on the same folds):\n\n").append(region.get("kFoldTable"))
                    .append("\n50/25/25 split, 5 repetitions (seed 42):\n\n").append(region.get("splitTable"))
                    .append("\nGCN with Correct and Smooth's refinements chosen on validation:\n\n")
                    .append(region.get("gcnWithRefinementTable"));
        }
        if (b.containsKey("explainEvaluation")) {
            Map<String, Object> explain = (Map<String, Object>) b.get("explainEvaluation");
            for (String model : new String[] {"gcn", "gat"}) {
                t.append("\nExplainers on the ").append(model.toUpperCase(Locale.ROOT)).append(" (").append(explain.get(model + "Millis"))
                        .append(" ms):\n\n").append(fidelityTable((List<Map<String, Object>>) explain.get(model)));
            }
        }
        if (!b.containsKey("denseGflops")) {
            return t.toString();
        }
        for (String model : new String[] {"gcn", "gat", "labelFeatureMlp"}) {
            row(t, model.toUpperCase(Locale.ROOT) + " epoch, ms (floor)", "%.1f (%.1f)", b.get(model + "EpochMillis"),
                    b.get(model + "FloorMillis"));
            row(t, model.toUpperCase(Locale.ROOT) + " epoch with SYNTHETIC likes as inputs, ms (floor)", "%.1f (%.1f)",
                    b.get(model + "EpochMillisArtists"), b.get(model + "FloorMillisArtists"));
        }
        if (!b.containsKey("ours")) {
            return t.toString();
        }
        Map<String, Object> ours = (Map<String, Object>) b.get("ours");
        row(t, "ours: 5-fold GCN accuracy / macro-F1 / training ms", "%.4f / %.4f / %,d", ours.get("accuracyMean"),
                ours.get("macroF1Mean"), ours.get("trainMillis"));
        Map<String, Object> tuned = (Map<String, Object>) ours.getOrDefault("baselines", Map.of());
        row(t, "same folds, tuned on validation: label propagation / Correct and Smooth", "%.4f / %.4f",
                tuned.get("labelPropagation"), tuned.get("correctAndSmooth"));
        for (String peer : new String[] {"gds", "gdsLabelFeatures"}) {
            if (!b.containsKey(peer)) {
                continue;
            }
            Map<String, Object> gds = (Map<String, Object>) b.get(peer);
            Map<String, Object> gdsConfig = (Map<String, Object>) gds.get("config");
            row(t, "GDS pipeline (" + gdsConfig.get("embedding") + ", " + gdsConfig.get("embeddingDimension")
                    + " dims; label features: " + gdsConfig.get("labelFeatures") + "; autotuned): accuracy / macro-F1 / "
                    + "training ms", "%.4f / %.4f / %,d", gds.get("accuracyMean"), gds.get("macroF1Mean"), gds.get("trainMillis"));
        }
        row(t, "explain, ms per user (GCN)", "%.0f", b.get("explainMillisPerUser"));
        for (Map<String, Object> s : (List<Map<String, Object>>) b.getOrDefault("scale", List.of())) {
            if (s.containsKey("failed")) {
                row(t, "scale " + s.get("factor") + "x", "%s", s.get("failed"));
                continue;
            }
            row(t, "scale " + s.get("factor") + "x: users, relationships (SYNTHETIC likes)", "%,d, %,d", s.get("users"),
                    s.get("relationships"));
            row(t, "scale " + s.get("factor") + "x: import + lastfm.load's validation / export ms, GCN epoch ms (with likes), "
                            + "peak RSS MB", "%,d + %,d / %.0f, %.1f (%s), %,d", s.get("importMillis"), s.get("loadMillis"),
                    s.get("exportMillis"), s.get("gcnEpochMillis"),
                    s.get("gcnEpochMillisArtists") == null ? "refused: " + s.get("artistsRefused")
                            : String.format(Locale.ROOT, "%.1f", ((Number) s.get("gcnEpochMillisArtists")).doubleValue()),
                    s.get("peakRssMb"));
        }
        return t.toString();
    }

    /** lastfm.explain.evaluate rows as Markdown: each figure with its bootstrap 95% interval. */
    public static String fidelityTable(List<Map<String, Object>> rows) {
        StringBuilder t = new StringBuilder("| method | sparsity | users (set apart) | fid+ | fid- | characterization "
                + "| fid+ (probability drop) | ms per user |\n|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            t.append(String.format(Locale.ROOT, "| %s | %s | %s (%s) | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] "
                            + "| %.4f [%.4f, %.4f] | %.0f |%n", r.get("method"), r.get("sparsity"), r.get("users"),
                    r.get("usersExcluded"), r.get("fidelityPlus"), r.get("fidelityPlusLow"), r.get("fidelityPlusHigh"),
                    r.get("fidelityMinus"), r.get("fidelityMinusLow"), r.get("fidelityMinusHigh"), r.get("characterization"),
                    r.get("characterizationLow"), r.get("characterizationHigh"), r.get("fidelityPlusProbability"),
                    r.get("fidelityPlusProbabilityLow"), r.get("fidelityPlusProbabilityHigh"), r.get("explainMillis")));
        }
        return t.toString();
    }

    /**
     * The sparse rates, "matrix@width" to GFLOP/s (the fastest kernel each, {@link ComputeFloor}): "propagation@64
     * 14.2, ...", or null when not measured.
     */
    @SuppressWarnings("unchecked")
    private static String sparseRates(Object rates) {
        if (!(rates instanceof Map<?, ?> byProduct)) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        ((Map<String, Object>) byProduct).forEach((product, rate) -> s.append(s.isEmpty() ? "" : ", ").append(product)
                .append(' ').append(String.format(Locale.ROOT, "%.2f", ((Number) rate).doubleValue())));
        return s.toString();
    }

    private static void row(StringBuilder t, String name, String format, Object... values) {
        String value;
        if (java.util.Arrays.stream(values).anyMatch(java.util.Objects::isNull)) {
            // not measured by this mode ("%.1f" would print a null as "n")
            t.append("| ").append(name).append(" |  |\n");
            return;
        }
        try {
            value = String.format(Locale.ROOT, format, values);
        } catch (RuntimeException e) {
            value = java.util.Arrays.toString(values);
        }
        t.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}

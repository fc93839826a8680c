package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * The figures the README's tables quote, measured again through the procedures and held to them: region
 * (fold seed 42, every family and baseline on the same folds), artists (synthetic likes), the explainers and the
 * friend evaluation (fold seeds 42-44, means). Trained models may
 * move by last-bit float differences between processes (an early-stopping epoch now and then): 0.003; the
 * untrained or deterministic ones are held to 0.0005. Run with ./mvnw verify -Pbenchmarks -Dtest=ReadmeFiguresTest
 * (about 15 minutes on 2 cores, half of it the explanation table).
 */
@Tag("benchmark")
class ReadmeFiguresTest {
    private static final Offset<Double> TRAINED = Offset.offset(0.003);
    private static final Offset<Double> EXACT = Offset.offset(0.0005);

    @Test
    void theRegionTableHolds() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            neo4j.run("CALL lastfm.load({features: 'none'})");
            Record r = neo4j.run("CALL lastfm.gnn.train({model: 'auto', write: false})").get(0);
            Map<String, Object> b = r.get("baselines").asMap();
            System.out.println("README region: auto " + r.get("accuracyMean").asDouble() + " " + b);
            assertThat(mean(b, "gcn")).isCloseTo(0.8789, TRAINED);
            assertThat(mean(b, "gat")).isCloseTo(0.8778, TRAINED);
            assertThat(mean(b, "labelFeatureMlp")).isCloseTo(0.8728, TRAINED);
            assertThat(mean(b, "labelPropagation")).isCloseTo(0.8808, EXACT);
            assertThat(mean(b, "correctAndSmooth")).isCloseTo(0.8796, TRAINED);
            assertThat(mean(b, "mlp")).isCloseTo(0.2044, TRAINED);
            assertThat(mean(b, "neighborMajority")).isCloseTo(0.8691, EXACT);
            assertThat(mean(b, "majorityClass")).isCloseTo(0.2062, EXACT);
            assertThat(r.get("accuracyMean").asDouble()).isCloseTo(0.8792, TRAINED);
        }
    }

    @Test
    void theArtistTableHolds() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS, DatasetFiles.SYNTHETIC_FEATURES);
            neo4j.run("CALL lastfm.load({features: 'synthetic', batchSize: 100000})");
            Record r = neo4j.run("CALL lastfm.gnn.train({task: 'artists', write: false})").get(0);
            Map<String, Object> m = r.get("metrics").asMap();
            Value b = r.get("baselines");
            System.out.println("README artists: " + m + " " + b);
            assertThat(((Number) m.get("ndcgAt20")).doubleValue()).isCloseTo(0.5805, TRAINED);
            assertThat(((Number) m.get("precisionAt20")).doubleValue()).isCloseTo(0.5330, TRAINED);
            assertThat(b.get("popularity").get("ndcgAt20").asDouble()).isCloseTo(0.5581, EXACT);
            assertThat(b.get("friends").get("ndcgAt20").asDouble()).isCloseTo(0.5297, EXACT);
            assertThat(b.get("regionalPopularity").get("ndcgAt20").asDouble()).isCloseTo(0.5624, EXACT);
            assertThat(b.get("socialKriging").get("ndcgAt20").asDouble()).isCloseTo(0.5804, EXACT);
            assertThat(b.get("blend").get("ndcgAt20").asDouble()).isCloseTo(0.5780, TRAINED);
            // what the README says of the model: above the tuned blend, and only just above kriging alone
            double model = ((Number) m.get("ndcgAt20")).doubleValue();
            assertThat(model).isGreaterThan(b.get("blend").get("ndcgAt20").asDouble() + 0.001)
                    .isGreaterThan(b.get("socialKriging").get("ndcgAt20").asDouble());
        }
    }

    /**
     * The explanation table (`--bench explain`'s GCN half): the same model and sample, every method at top-10 and
     * 10%. Saliency, occlusion and random are deterministic given the model; the model may move by an early-stopping
     * epoch, so each figure is held to its measured 95% interval's half-width at most (about 0.05).
     */
    @Test
    void theExplanationTableHolds() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            neo4j.run("CALL lastfm.load({features: 'none'})");
            neo4j.run("CALL lastfm.gnn.train({model: 'gcn', folds: 5, randomSeed: 42, mlpBaseline: false})");
            Map<String, Record> rows = new java.util.HashMap<>();
            neo4j.run("CALL lastfm.explain.evaluate({modelName: 'gcn-region', sample: 200, randomSeed: 42, sparsity: [10, 0.1]})")
                    .forEach(r -> rows.put(r.get("method").asString() + "|" + r.get("sparsity").asString(), r));
            rows.values().forEach(r -> System.out.printf("README explanations: %s %s characterization %.3f [%.3f, %.3f]"
                    + " fid+ %.3f [%.3f, %.3f] users %d excluded %d ms %.0f%n", r.get("method").asString(),
                    r.get("sparsity").asString(), r.get("characterization").asDouble(),
                    r.get("characterizationLow").asDouble(), r.get("characterizationHigh").asDouble(),
                    r.get("fidelityPlus").asDouble(), r.get("fidelityPlusLow").asDouble(),
                    r.get("fidelityPlusHigh").asDouble(), r.get("users").asLong(), r.get("usersExcluded").asLong(),
                    r.get("explainMillis").asDouble()));
            Offset<Double> interval = Offset.offset(0.05);
            assertThat(rows.get("gradient|top-10").get("characterization").asDouble()).isCloseTo(0.786, interval);
            assertThat(rows.get("occlusion|top-10").get("characterization").asDouble()).isCloseTo(0.786, interval);
            assertThat(rows.get("integratedGradients|top-10").get("characterization").asDouble()).isCloseTo(0.781, interval);
            assertThat(rows.get("saliency|top-10").get("characterization").asDouble()).isCloseTo(0.768, interval);
            assertThat(rows.get("gnnExplainer|top-10").get("characterization").asDouble()).isCloseTo(0.733, interval);
            assertThat(rows.get("random|top-10").get("characterization").asDouble()).isCloseTo(0.109, interval);
            assertThat(rows.get("gradient|top-10").get("users").asLong()).isEqualTo(175);
            assertThat(rows.get("gradient|10%").get("fidelityPlus").asDouble()).isCloseTo(0.790, interval);
            assertThat(rows.get("random|10%").get("fidelityPlus").asDouble()).isCloseTo(0.044, interval);
            // what the README claims of the default: at least every other method at top-10 and in fid+ at 10%,
            // 3x random at top-10, 2x random in fid+ at 10%
            for (String method : List.of("saliency", "integratedGradients", "occlusion", "gnnExplainer", "random")) {
                assertThat(rows.get("gradient|top-10").get("characterization").asDouble()).as(method)
                        .isGreaterThanOrEqualTo(rows.get(method + "|top-10").get("characterization").asDouble());
                assertThat(rows.get("gradient|10%").get("fidelityPlus").asDouble()).as(method)
                        .isGreaterThanOrEqualTo(rows.get(method + "|10%").get("fidelityPlus").asDouble());
            }
            assertThat(rows.get("gradient|top-10").get("characterization").asDouble())
                    .isGreaterThan(3 * rows.get("random|top-10").get("characterization").asDouble());
            assertThat(rows.get("gradient|10%").get("fidelityPlus").asDouble())
                    .isGreaterThan(2 * rows.get("random|10%").get("fidelityPlus").asDouble());
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void theFriendTableHolds() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            neo4j.run("CALL lastfm.load({features: 'none'})");
            Map<String, double[]> sums = new java.util.HashMap<>();
            List<Long> seeds = List.of(42L, 43L, 44L);
            for (long seed : seeds) {
                for (Record row : neo4j.run("CALL lastfm.recommend.friends.evaluate({randomSeed: $seed})", Map.of("seed", seed))) {
                    double[] sum = sums.computeIfAbsent(row.get("negatives").asString() + "/" + row.get("method").asString(),
                            k -> new double[2]);
                    sum[0] += row.get("auc").asDouble() / seeds.size();
                    sum[1] += row.get("hitsAt10").asDouble() / seeds.size();
                }
            }
            System.out.println("README friends: " + sums.entrySet().stream()
                    .map(e -> e.getKey() + " " + java.util.Arrays.toString(e.getValue())).toList());
            assertThat(sums.get("twoHop/learned")[0]).isCloseTo(0.8279, TRAINED);
            assertThat(sums.get("twoHop/learned")[1]).isCloseTo(0.6802, TRAINED);
            assertThat(sums.get("twoHop/adamicAdar")[0]).isCloseTo(0.6036, EXACT);
            assertThat(sums.get("twoHopCandidates/learned")[0]).isCloseTo(0.8370, TRAINED);
            assertThat(sums.get("random/learned")[0]).isCloseTo(0.9196, TRAINED);
            // 1,500 ranked friendships: a few rank changes with the processor (0.3853 measured on AMD EPYC, 0.3893 on
            // an Intel Xeon with AVX-512: oneMKL's code path), as the plain learned list's line below allows
            assertThat(sums.get("allUsers/learnedTwoHopFirst")[1]).isCloseTo(0.3853, Offset.offset(0.01));
            assertThat(sums.get("allUsers/learned")[1]).isCloseTo(0.2407, Offset.offset(0.01));
            assertThat(sums.get("allUsers/adamicAdar")[1]).isCloseTo(0.3680, EXACT);
            assertThat(sums.get("allUsers/handSet")[1]).isCloseTo(0.3160, EXACT);
        }
    }

    private static double mean(Map<String, Object> baselines, String name) {
        return ((Number) ((Map<String, Object>) baselines.get(name)).get("accuracyMean")).doubleValue();
    }
}

package org.lastfmgnn.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.testing.LastFmGraph;

/**
 * A fixed {@code randomSeed} gives the same model to the bit in another process: the GCN, the GAT and the trained
 * baselines, cross-validated on the LastFM graph, print the same digest of every held-out probability in this JVM
 * and in two fresh ones, one of them with a small heap, the serial collector and a thread that, as a busy server
 * would, keeps collecting and allocating small native buffers with other contents, so that memory freed anywhere in
 * the run is soon reused. A gradient that reads memory the collector has freed (the use after free of DJL's scalar
 * operands, BENCHMARKS.md) or a kernel that rounds differently from run to run makes the digests differ.
 */
class CrossProcessReproducibilityTest {
    @Test
    void threeProcessesTrainTheSameModelsToTheBit() throws Exception {
        String here = digests();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        List<String> others = new ArrayList<>();
        for (List<String> flags : List.of(List.<String>of(), List.of("-Xmx160m", "-XX:+UseSerialGC", "-Dchurn=true"))) {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(flags);
            command.addAll(List.of("-cp", classpath, CrossProcessReproducibilityTest.class.getName()));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("%s\n%s", flags, out).isZero();
            others.add(out.lines().filter(l -> l.startsWith("digests ")).findFirst().orElse(out));
        }
        assertThat(here).contains("gcn=", "gat=", "mlp=", "correctAndSmooth=");
        assertThat(others).as("fresh processes against this one").containsOnly("digests " + here);
    }

    /** Run in a fresh JVM by the test: prints the digests. */
    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("churn")) {
            Thread churn = new Thread(CrossProcessReproducibilityTest::churn, "churn");
            churn.setDaemon(true);
            churn.start();
        }
        System.out.println("digests " + digests());
        System.exit(0);
    }

    /** Small direct buffers of changing contents, dropped at once, and a collection every few milliseconds. */
    private static void churn() {
        java.util.Random random = new java.util.Random(7);
        List<ByteBuffer> recent = new ArrayList<>();
        for (long i = 0; ; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 << random.nextInt(5));
            while (b.hasRemaining()) {
                b.put((byte) random.nextInt());
            }
            recent.add(b);
            if (recent.size() > 64) {
                recent.clear();
            }
            if (i % 2000 == 0) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** SHA-256 (first 16 hex digits) of each model's held-out probabilities, by model. */
    static String digests() throws IOException {
        GraphSnapshot g = LastFmGraph.withoutLikes();
        Map<String, String> digests = new TreeMap<>();
        for (RegionFamily family : List.of(RegionFamily.GCN, RegionFamily.GAT)) {
            RegionPlan model = TrainConfig.plan(family, Map.of("epochs", 25L, "patience", 25L));
            List<RegionPlan> baselines = family == RegionFamily.GCN
                    ? List.of(TrainConfig.plan(RegionFamily.MLP, Map.of("epochs", 25L)),
                            TrainConfig.plan(RegionFamily.CORRECT_AND_SMOOTH, Map.of("epochs", 25L)))
                    : List.of();
            CrossValidation.Result result;
            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                result = new CrossValidation(g, new RegionInputs(g, Set.of("labels", "structure"), g.classCount()),
                        List.of(model), baselines, Evaluation.kFold(3), 42, ProgressTracker.silent("reproducibility"))
                        .run(manager, Folds.stratified(g.regions(), 3, 42));
            }
            digests.put(family.label(), digest(result.probabilities()));
            result.baselineProbabilities().forEach((name, p) -> digests.put(name, digest(p)));
        }
        return digests.toString();
    }

    private static String digest(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        for (float v : values) {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array())).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

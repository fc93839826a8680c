package org.lastfmgnn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lastfmgnn.dataset.DatasetFiles;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/** The embedded default as users run it: the packaged jar, in its own process. */
class LauncherIT {
    private static final Path DATA = Path.of("data").toAbsolutePath();
    // the whole pipeline with the synthetic likes: 8 to 13 minutes on 2 cores
    private static final Duration START = Duration.ofMinutes(20);

    @TempDir
    Path tmp;

    /**
     * The whole pipeline once, as a user without the real likes gets it (exit mode; the download is not the published
     * file, so the synthetic stand-in, loudly), then its store served (serve mode without rerunning the pipeline).
     */
    @Test
    void exitModeRunsTheWholePipelineThenServeModeServesItsStore() throws Exception {
        HttpServer snap = serveZip("lasftm_asia/" + DatasetFiles.REAL_FEATURES, "{\"0\": [1]}");
        try {
            exitModeFallsBackToTheSyntheticLikesAndWritesTheReport(snap.getAddress().getPort());
        } finally {
            snap.stop(0);
        }
        serveModeAnswersOnBoltAndHttpOnLoopbackWithAuthentication();
    }

    private void exitModeFallsBackToTheSyntheticLikesAndWritesTheReport(int snapPort) throws Exception {
        try (LauncherProcess app = LauncherProcess.start(tmp, "--exit", "--data", copyOfData().toString(),
                "--features-url", "http://127.0.0.1:" + snapPort + "/lastfm_asia.zip",
                "--http-port", port(), "--bolt-port", port(), "--device", "cpu")) {
            assertThat(app.awaitExit(START)).as(app.output()).isZero();
            System.out.println(app.output()); // target/failsafe-reports: what the README's "What the main job prints" shows
            assertThat(app.output()).contains("Password:").contains("random, shown once");
            assertThat(app.output()).contains("not the published file").contains("SYNTHETIC stand-in");
            JsonNode report = new ObjectMapper().readTree(tmp.resolve("out/report.json").toFile());
            assertThat(report.at("/dataset/users").asLong()).isEqualTo(7_624);
            assertThat(report.at("/dataset/friendships").asLong()).isEqualTo(27_806);
            assertThat(report.at("/dataset/artists").asLong()).isEqualTo(7_842);
            assertThat(report.at("/dataset/likes").asLong()).isEqualTo(3_012_680);
            assertThat(report.at("/dataset/featureSource").asText()).isEqualTo("synthetic");
            assertThat(report.at("/timings/loadMillis").asLong()).isPositive();
            // a new store: Neo4j's importer wrote the graph before the server started, lastfm.load found it whole
            assertThat(report.at("/import/relationships").asLong()).isEqualTo(27_806L + 3_012_680L);
            assertThat(report.at("/import/featureSource").asText()).isEqualTo("synthetic");
            assertThat(report.at("/load/relationshipsCreated").asLong()).isZero();
            assertThat(app.output()).contains("with Neo4j's importer").contains("validated against the graph");

            // the default region model, 5-fold, beats the no-learning baselines measured on the same folds
            double accuracy = report.at("/region/accuracyMean").asDouble();
            assertThat(report.at("/region/model").asText()).isEqualTo("gcn");
            assertThat(report.at("/region/folds").asInt()).isEqualTo(5);
            assertThat(report.at("/region/foldAccuracies").size()).isEqualTo(5);
            assertThat(report.at("/region/featureSource").asText()).as("the likes are no region input unless asked for")
                    .isEqualTo("none");
            // the tuned baselines on the same folds: within 0.006 of each other and of the GCN (BENCHMARKS.md)
            double tuned = Math.max(report.at("/region/baselines/labelPropagation/accuracyMean").asDouble(),
                    report.at("/region/baselines/correctAndSmooth/accuracyMean").asDouble());
            assertThat(accuracy).isGreaterThan(tuned - 0.006);
            assertThat(accuracy).isGreaterThan(report.at("/region/baselines/neighborMajority/accuracyMean").asDouble());
            assertThat(report.at("/region/baselines/mlp/accuracyMean").asDouble()).as("no label, no neighbour").isBetween(0.19, 0.23);
            assertThat(report.at("/region/bestConfig/learningRate").asDouble()).isEqualTo(0.01);
            assertThat(report.at("/region/bestConfig/device").asText()).as("--device cpu").isEqualTo("cpu()");

            // the GAT's explanation of 1005, and fidelity on a sample: removing the top edges beats removing random ones
            assertThat(report.at("/explain/node").asInt()).isEqualTo(1005);
            // the GAT behind them, evaluated on one split (what is served is trained on every labelled user after it)
            assertThat(report.at("/explain/gatEvaluation").asText()).contains("repetitions: 1");
            assertThat(report.at("/explain/gatAccuracyMean").asDouble()).as("one split of 1,525 test users")
                    .isGreaterThan(report.at("/region/baselines/neighborMajority/accuracyMean").asDouble() - 0.02);
            assertThat(report.at("/explain/edges").size()).isEqualTo(10);
            assertThat(report.at("/explain/features").size()).as("1005's own inputs").isEqualTo(2);
            assertThat(report.at("/explain/fidelityPlus").asDouble()).isGreaterThan(report.at("/explain/fidelityPlusRandom").asDouble());
            JsonNode evaluation = report.at("/explain/evaluation");
            double ours = 0;
            double random = 0;
            for (JsonNode row : evaluation) {
                if (row.get("sparsity").asText().equals("top-10")) {
                    if (row.get("method").asText().equals("random")) {
                        random = row.get("characterization").asDouble();
                    } else {
                        ours = row.get("characterization").asDouble();
                    }
                }
            }
            assertThat(ours).as("characterization at top-10, the same 20 users").isGreaterThan(2 * random);

            // artist recommendation on the synthetic likes beats both baselines on the same held-out users
            assertThat(report.at("/artists/featureSource").asText()).isEqualTo("synthetic");
            double ndcg = report.at("/artists/ndcgAt20").asDouble();
            assertThat(ndcg).isGreaterThan(report.at("/artists/baselines/popularity/ndcgAt20").asDouble());
            assertThat(ndcg).isGreaterThan(report.at("/artists/baselines/friends/ndcgAt20").asDouble());
            assertThat(report.at("/artists/hamming/allZeros").asDouble()).isBetween(0.949, 0.951);
            assertThat(report.at("/artists/recommendationsWritten").asLong()).isEqualTo(7_624L * 20);
            // friends, without the likes: the learned scorer above Adamic-Adar against two-hop non-friends
            JsonNode learned = null;
            JsonNode adamicAdar = null;
            for (JsonNode row : report.at("/friends/evaluation")) {
                if (row.get("negatives").asText().equals("twoHop")) {
                    learned = row.get("method").asText().equals("learned") ? row : learned;
                    adamicAdar = row.get("method").asText().equals("adamicAdar") ? row : adamicAdar;
                }
            }
            assertThat(learned).as(report.at("/friends").toString()).isNotNull();
            assertThat(adamicAdar).isNotNull();
            assertThat(learned.get("auc").asDouble()).isGreaterThan(adamicAdar.get("auc").asDouble());
            assertThat(learned.get("hitsAt10").asDouble()).isGreaterThan(adamicAdar.get("hitsAt10").asDouble());
            assertThat(report.at("/friends/suggestionsFor1005").size()).isEqualTo(10);
            assertThat(app.output()).contains("Artists (SYNTHETIC likes");

            // report.html in a real browser: every picture loads; a screenshot for people to look at
            Path page = tmp.resolve("out/report.html");
            String dom = Chromium.run("--virtual-time-budget=10000", "--dump-dom", page.toUri().toString());
            java.util.regex.Matcher images = java.util.regex.Pattern
                    .compile("data-images-loaded=\"(\\d+)\" data-images-total=\"(\\d+)\"").matcher(dom);
            assertThat(images.find()).as(dom).isTrue();
            assertThat(Integer.parseInt(images.group(2))).isGreaterThanOrEqualTo(7);
            assertThat(images.group(1)).isEqualTo(images.group(2));
            Path screenshot = Path.of("target/report-screenshot.png").toAbsolutePath();
            Chromium.run("--window-size=1000,3800", "--screenshot=" + screenshot, page.toUri().toString());
            assertThat(Files.size(screenshot)).isGreaterThan(50_000);
        }
    }

    /** The store the exit run left (out/neo4j in the same folder), served with a chosen password. */
    private void serveModeAnswersOnBoltAndHttpOnLoopbackWithAuthentication() throws Exception {
        String http = port();
        String bolt = port();
        String password = "it-secret-42";
        // the heap committed and touched up front (-Xms = -Xmx): the soak below reads native growth from the resident
        // size, which the heap's own growth from a fresh start would otherwise hide or imitate
        try (LauncherProcess app = LauncherProcess.start(tmp, List.of("-Xms3g", "-XX:+AlwaysPreTouch"), "--skip-pipeline",
                "--data", DATA.toString(), "--password", password, "--http-port", http, "--bolt-port", bolt)) {
            app.awaitOutput("Serving until Ctrl-C", START);
            assertThat(app.output()).contains("http://127.0.0.1:" + http + "/browser/").contains("bolt://127.0.0.1:" + bolt);

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> browser = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/browser/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(browser.statusCode()).isEqualTo(200);
            assertThat(browser.body()).containsIgnoringCase("neo4j browser");

            String query = "{\"statements\":[{\"statement\":\"MATCH (u:User) RETURN count(u)\"}]}";
            HttpRequest.Builder tx = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/db/neo4j/tx/commit"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(query));
            assertThat(client.send(tx.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            String basic = Base64.getEncoder().encodeToString(("neo4j:" + password).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> answer = client.send(tx.header("Authorization", "Basic " + basic).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("7624");

            assertThat(listeningAddresses(Integer.parseInt(http))).containsOnly("127.0.0.1");
            assertThat(listeningAddresses(Integer.parseInt(bolt))).containsOnly("127.0.0.1");

            try (Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.basic("neo4j", password),
                    Config.builder().withoutEncryption().build()); Session session = driver.session()) {
                Record again = session.run("CALL lastfm.load({features: 'none'})").single();
                assertThat(again.get("nodesCreated").asLong()).isZero();
                assertThat(again.get("relationshipsCreated").asLong()).isZero();
                assertThat(session.run("MATCH ()-[f:FRIEND]->() RETURN count(f) AS n").single().get("n").asLong())
                        .isEqualTo(27_806);
                assertThat(session.run("MATCH (u:User) WHERE u.predictedRegion IS NULL RETURN count(u) AS n")
                        .single().get("n").asLong()).as("every user has a prediction").isZero();
                assertThat(session.run("MATCH ()-[r:FRIEND]->() WHERE r.attentionForward IS NULL OR r.attentionBackward IS NULL "
                        + "RETURN count(r) AS n").single().get("n").asLong()).as("every friendship has both attentions").isZero();
                assertThat(session.run("MATCH ()-[i:INFLUENCES {explainedUser: 1005}]->() RETURN count(i) AS n")
                        .single().get("n").asLong()).isEqualTo(10);
                // GDS works in the embedded server, on the graph the pipeline wrote (its first projection once stalled
                // for two minutes there: EmbeddedServer.JOL_SKIP_AGENT)
                Record projected = session.run("CALL gds.graph.project('friends', 'User', {FRIEND: {orientation: "
                        + "'UNDIRECTED'}}) YIELD nodeCount, relationshipCount").single();
                assertThat(projected.get("nodeCount").asLong()).isEqualTo(7_624);
                assertThat(projected.get("relationshipCount").asLong()).isEqualTo(2 * 27_806);
            }
            // what a person sees: Browser styled with our guide open after one login, the explorer's widths
            Path pictures = Path.of("target", "screenshots");
            Files.createDirectories(pictures);
            WebPages.browserIsReadyOnLogin("http://127.0.0.1:" + http, password, pictures.resolve("browser-explanation.png"));
            WebPages.explorerDrawsImportanceAndAttention("http://127.0.0.1:" + http, password,
                    pictures.resolve("explorer-explanation.png"));
            soak(bolt, password, app.pid());
            assertThat(app.interrupt(Duration.ofSeconds(60))).isIn(0, 130, 143);
        }
    }

    /**
     * 200 mixed calls (explain, friend suggestions, predict) from 4 concurrent Bolt clients against the
     * launcher's server, five times: none may fail, and neither the process's native memory (resident size, the heap
     * being fixed) nor its live Java heap (used after a full GC) may keep growing.
     */
    private static void soak(String bolt, String password, long pid) throws Exception {
        List<String> calls = List.of(
                "CALL lastfm.explain($u, {modelName: 'gat-region', method: 'gnnExplainer', epochs: 10}) YIELD edges RETURN size(edges) AS n",
                "CALL lastfm.recommend.friends($u, {k: 5}) YIELD userId RETURN count(*) AS n",
                "CALL lastfm.gnn.predict.stream('gcn-region') YIELD userId RETURN count(*) AS n");
        try (Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.basic("neo4j", password),
                Config.builder().withoutEncryption().build())) {
            java.util.function.IntConsumer call = i -> {
                try (Session session = driver.session()) {
                    session.run(calls.get(i % calls.size()), java.util.Map.of("u", (i * 37) % 7_624)).consume();
                }
            };
            for (int i = 0; i < 12; i++) {
                call.accept(i); // warm-up: engine, caches, JIT
            }
            // Five rounds of 200. A fresh server's first rounds fill the allocator's pools (one arena per busy thread),
            // the code cache and PyTorch's per-thread caches, unevenly: measured from a fresh start, +1,326, +272, +104,
            // +18 MB over rounds 1-4 in one run; +1,394, +3, +147, +80, +24 MB over rounds 1-5 in another. A leak grows
            // by the same amount every round (1 MB a call: 200 MB a round), so the bounds are on the rounds after the
            // first.
            int rounds = 5;
            long[] rss = new long[rounds + 1];
            long[] heap = new long[rounds + 1];
            rss[0] = residentKb(pid);
            heap[0] = liveHeapKb(pid);
            for (int round = 1; round <= rounds; round++) {
                java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                long start = System.nanoTime();
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            call.accept(client * 50 + i);
                        }
                    }));
                }
                for (var future : done) {
                    future.get(10, java.util.concurrent.TimeUnit.MINUTES); // rethrows any failed call
                }
                clients.shutdown();
                heap[round] = liveHeapKb(pid);
                rss[round] = residentKb(pid);
                System.out.printf("SOAK round %d: 200 calls from 4 clients in %d s; RSS %d MB -> %d MB, live heap %d MB -> %d MB%n",
                        round, (System.nanoTime() - start) / 1_000_000_000, rss[round - 1] / 1024, rss[round] / 1024,
                        heap[round - 1] / 1024, heap[round] / 1024);
            }
            // A leak grows every round; the pools grow in spurts (a CI run on 2026-12-03: +120, +49, +203, +93 MB over
            // rounds 2-5). So the quietest of rounds 2-5 is held to 160 MB (a leak of 0.8 MB a call crosses it), and the
            // last two rounds together to 512 MB.
            long quietest = Long.MAX_VALUE;
            for (int round = 2; round <= rounds; round++) {
                quietest = Math.min(quietest, rss[round] - rss[round - 1]);
            }
            assertThat(quietest).as("resident memory growth over the quietest of rounds 2-%d, kB", rounds)
                    .isLessThan(160L * 1024);
            assertThat(rss[rounds] - rss[rounds - 2]).as("resident memory growth over the last two rounds, kB")
                    .isLessThan(512L * 1024);
            // the live Java heap (after a full GC) does not take pools: flat from the first round (measured +-1 MB)
            for (int round = 2; round <= rounds; round++) {
                assertThat(heap[round] - heap[round - 1]).as("live heap growth over round %d, kB", round)
                        .isLessThan(32L * 1024);
            }
        }
    }

    /** The Java heap in use after a full collection, as {@code jcmd GC.heap_info} reports it. */
    private static long liveHeapKb(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("heap\\s+total \\d+K, used (\\d+)K")
                .matcher(jcmd(pid, "GC.heap_info"));
        assertThat(used.find()).as("jcmd GC.heap_info names the heap in use").isTrue();
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor()).as(out).isZero();
        return out;
    }

    private static long residentKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    private String port() throws IOException {
        return Integer.toString(LauncherProcess.freePort());
    }

    /** The local addresses listening on {@code port}, read from the kernel's socket tables. */
    private static List<String> listeningAddresses(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        List<String> addresses = new java.util.ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) { // 0A = LISTEN
                    addresses.add(decode(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        assertThat(addresses).as("something listens on port " + port).isNotEmpty();
        return addresses;
    }

    private static String decode(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
        }
        if (hex.startsWith("0000000000000000FFFF0000")) { // IPv4 mapped into IPv6
            return decode(hex.substring(24));
        }
        return hex.equals("00000000000000000000000001000000") ? "::1" : hex;
    }

    private Path copyOfData() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("data"));
        for (String f : new String[] {DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS, DatasetFiles.SYNTHETIC_FEATURES}) {
            Files.copy(DATA.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    private static HttpServer serveZip(String entry, String content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = bytes.toByteArray();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/lastfm_asia.zip", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}

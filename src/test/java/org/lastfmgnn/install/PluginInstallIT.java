package org.lastfmgnn.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.server.EmbeddedServer;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * The plugin installed the way users install it: a standalone Neo4j 5.26 server process
 * ({@code org.neo4j.server.CommunityEntryPoint}) started as Neo4j's script starts it, its class path the plugins
 * folder, then Neo4j's jars and nothing of ours (no DJL, no PyTorch, no commons-csv, no ECharts), with {@code
 * target/lastfm-gnn-plugin.jar} and GDS's modules in its plugins folder and the settings the README's install
 * section gives. Through Bolt with authentication: our procedures and GDS's register, the data loads, a model trains,
 * explains and predicts, GDS projects the graph; over HTTP the explorer and its chart library are served from the
 * plugin jar; and no class is loaded from two places.
 */
class PluginInstallIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path DATA = Path.of("data").toAbsolutePath();
    /** What the server's own class path must not hold: the plugin brings these. */
    private static final List<String> OURS = List.of("api-0.36.0.jar", "pytorch-", "commons-csv-", "pickle-", "echarts-",
            "lastfm-gnn");
    /**
     * What the launcher adds for itself and a server does not have (picocli is not among them: Neo4j's own command
     * line needs it, and a server's lib folder ships it).
     */
    private static final List<String> LAUNCHER_ONLY = List.of("jfreechart-", "progressbar-", "jline-");

    @TempDir
    Path home;

    @Test
    void theServerLoadsTrainsExplainsAndPredictsWithThePluginJarAlone() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Path imports = Files.createDirectories(home.resolve("import"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.copy(TARGET.resolve("lastfm-gnn-plugin.jar"), plugins.resolve("lastfm-gnn-plugin.jar"));
        // GDS beside it, as the README's step 1 says: its own modules (a GDS release is one jar of them with their
        // libraries inside; here the libraries stay on the server's class path)
        List<Path> gdsModules = gdsModules();
        for (Path jar : gdsModules) {
            Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        for (String file : List.of(DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS)) {
            Files.copy(DATA.resolve(file), imports.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        int bolt = freePort();
        int httpPort = freePort();
        // the README's install settings, and this test's ports and folders
        Files.writeString(conf.resolve("neo4j.conf"), String.join("\n",
                "server.directories.plugins=" + plugins,
                "server.directories.import=" + imports,
                "dbms.security.procedures.unrestricted=gds.*,lastfm.*",
                "dbms.security.auth_enabled=true",
                "server.default_listen_address=127.0.0.1",
                "server.bolt.listen_address=127.0.0.1:" + bolt,
                "server.http.listen_address=127.0.0.1:" + httpPort,
                "server.https.enabled=false",
                "dbms.usage_report.enabled=false",
                "server.memory.pagecache.size=128m",
                "") + "\n"
                // step 6 of the README's install section: Browser's style and guide, and the explorer, from the plugin
                + EmbeddedServer.webSettings("http://127.0.0.1:" + httpPort).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue() + "\n").collect(Collectors.joining()));
        Path classLog = home.resolve("class-load.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-Dai.djl.offline=true", "-Dlastfm.gnn.threads=1", "-Djol.skipHotspotSAAttach=true",
                "-Xlog:class+load=info:file=" + classLog,
                "-cp", serverClassPath(plugins, conf, gdsModules), "org.neo4j.server.CommunityEntryPoint",
                "--home-dir=" + home, "--config-dir=" + conf));
        Process server = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("server.out").toFile()).start();
        try {
            String password = "install-" + System.nanoTime();
            try (Driver first = awaitDriver(bolt, "neo4j", "neo4j")) {
                try (Session system = first.session(SessionConfig.forDatabase("system"))) {
                    system.run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $p", Map.of("p", password)).consume();
                }
            }
            try (Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.basic("neo4j", password));
                 Session session = driver.session()) {
                long procedures = session.run("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'lastfm.' RETURN count(*) AS n")
                        .single().get("n").asLong();
                assertThat(procedures).as("our procedures registered from the plugins folder").isGreaterThanOrEqualTo(15);
                long gds = session.run("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' RETURN count(*) AS n")
                        .single().get("n").asLong();
                assertThat(gds).as("GDS's procedures registered from the same folder").isGreaterThan(100);
                Record load = session.run("CALL lastfm.load({features: 'none'})").single();
                assertThat(load.get("users").asLong()).isEqualTo(7_624);
                Record train = session.run("CALL lastfm.gnn.train({folds: 2, epochs: 10, mlpBaseline: false})").single();
                // 10 epochs on 2 folds: about 0.70 here, far above the majority class (0.21) that a model without its
                // inputs or natives would give; the full default reaches 0.88 (TrainProcedureTest)
                assertThat(train.get("accuracyMean").asDouble()).isGreaterThan(0.5);
                assertThat(train.get("bestConfig").get("threads").asLong()).as("-Dlastfm.gnn.threads").isEqualTo(1);
                Record explain = session.run("CALL lastfm.explain(1005)").single();
                assertThat(explain.get("edges").size()).isEqualTo(10);
                session.run("MATCH (a:User {id: 1005}) CREATE (:User {id: 990001})-[:FRIEND]->(a)").consume();
                assertThat(session.run("CALL lastfm.gnn.predict.stream('gcn-region') YIELD userId RETURN collect(userId) AS ids")
                        .single().get("ids").asList()).containsExactly(990001L);
                assertThat(Files.list(home.resolve("data").resolve("lastfm-gnn").resolve("neo4j").resolve("models")))
                        .as("models are stored under the server's data directory").isNotEmpty();
                // GDS works beside the plugin: it projects the graph our load wrote (with the user predict added)
                Record projected = session.run("CALL gds.graph.project('friends', 'User', {FRIEND: {orientation: "
                        + "'UNDIRECTED'}}) YIELD nodeCount, relationshipCount").single();
                assertThat(projected.get("nodeCount").asLong()).isEqualTo(7_625);
                assertThat(projected.get("relationshipCount").asLong()).isEqualTo(2 * 27_807);
            }
            // the explorer's page and its chart library come from the plugin jar (the server's class path has neither)
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/lastfm/explorer")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("lib/echarts.min.js");
            HttpResponse<byte[]> library = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/lastfm/lib/echarts.min.js")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(library.statusCode()).isEqualTo(200);
            assertThat(library.body().length).as("ECharts' minified build").isBetween(500_000, 2_000_000);
        } finally {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        Map<String, Set<String>> sources = new HashMap<>();
        try (Stream<String> lines = Files.lines(classLog)) {
            lines.forEach(line -> {
                int source = line.indexOf(" source: ");
                int name = line.indexOf("[class,load] ");
                if (source > 0 && name > 0) {
                    String className = line.substring(name + "[class,load] ".length(), source).trim();
                    sources.computeIfAbsent(className, k -> new java.util.TreeSet<>()).add(line.substring(source + 9).trim());
                }
            });
        }
        assertThat(sources.get("ai.djl.engine.Engine")).as("DJL is loaded, from the plugin jar")
                .singleElement().asString().contains("lastfm-gnn-plugin.jar");
        assertThat(sources.get("org.lastfmgnn.procedures.TrainProcedure")).singleElement().asString()
                .contains("lastfm-gnn-plugin.jar");
        List<String> twice = sources.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .filter(e -> e.getValue().stream().anyMatch(s -> s.contains("lastfm-gnn-plugin.jar")))
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        assertThat(twice).as("classes loaded both from the plugin and from the server").isEmpty();
    }

    /**
     * The class path Neo4j's own start script gives the server ({@code plugins/*:conf/*:lib/*}): the plugins folder
     * first (so that an unmanaged extension there is found), then the server's jars, here target/lib (the launcher's
     * run-time class path) without the plugin's own content, the launcher's extras and GDS's modules (in the plugins
     * folder).
     */
    private static String serverClassPath(Path plugins, Path conf, List<Path> gds) throws IOException {
        try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
            List<String> kept = jars.filter(p -> !gds.contains(p)).map(Path::toString).filter(p -> {
                String name = Path.of(p).getFileName().toString();
                return OURS.stream().noneMatch(name::startsWith) && LAUNCHER_ONLY.stream().noneMatch(name::startsWith);
            }).sorted().toList();
            assertThat(kept).as("Neo4j").anyMatch(p -> p.contains("neo4j-5.26"));
            List<String> path = new ArrayList<>(List.of(plugins.resolve("*").toString(), conf.resolve("*").toString()));
            path.addAll(kept);
            return String.join(java.io.File.pathSeparator, path);
        }
    }

    /** GDS's own modules in target/lib: the jars of GDS's version, which its {@code proc} module's name gives. */
    private static List<Path> gdsModules() throws IOException {
        try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
            List<Path> all = jars.toList();
            String version = all.stream().map(p -> p.getFileName().toString()).filter(n -> n.matches("proc-[0-9.]+\\.jar"))
                    .map(n -> n.substring("proc-".length(), n.length() - ".jar".length())).findFirst()
                    .orElseThrow(() -> new AssertionError("no GDS proc jar in target/lib"));
            List<Path> modules = all.stream().filter(p -> p.getFileName().toString().endsWith("-" + version + ".jar"))
                    .sorted().toList();
            assertThat(modules).as("GDS " + version).hasSizeGreaterThan(20);
            return modules;
        }
    }

    private static Driver awaitDriver(int bolt, String user, String password) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.basic(user, password));
            try {
                driver.verifyConnectivity();
                return driver;
            } catch (RuntimeException notYet) {
                driver.close();
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.lastfmgnn.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.server.CommunityBootstrapper;

/**
 * A real Neo4j 5.26 community server in this JVM: Bolt and HTTP on loopback, Neo4j Browser (from the
 * neo4j-browser jar on the class path), authentication on, and our procedures and GDS registered.
 */
public final class EmbeddedServer implements AutoCloseable {
    /** Where and how to run; ports of 0 are not supported by Neo4j's HTTP connector, so give real ones. */
    public record Settings(Path home, Path importDirectory, int boltPort, int httpPort, String pageCache) {
    }

    private final CommunityBootstrapper bootstrapper;
    private final Settings settings;

    private EmbeddedServer(CommunityBootstrapper bootstrapper, Settings settings) {
        this.bootstrapper = bootstrapper;
        this.settings = settings;
    }

    /**
     * GDS sizes its in-memory graphs with JOL, whose first use attaches HotSpot's Serviceability Agent to this process
     * from a child process unless told not to: inside a server that stalled the first {@code gds.graph.project} for
     * 100-125 s (0.9 s in a bare JVM), every time. Without the agent JOL reads the same layout through Unsafe.
     */
    static final String JOL_SKIP_AGENT = "jol.skipHotspotSAAttach";

    /** {@link #JOL_SKIP_AGENT} for this JVM, unless set: before any server in it uses GDS. */
    public static void withoutJolAgent() {
        System.setProperty(JOL_SKIP_AGENT, System.getProperty(JOL_SKIP_AGENT, "true"));
    }

    public static EmbeddedServer start(Settings settings, String password) throws Exception {
        withoutJolAgent();
        CommunityBootstrapper bootstrapper = new CommunityBootstrapper();
        int status = bootstrapper.start(settings.home(), null, configuration(settings), false, false);
        if (status != 0) {
            throw new IllegalStateException("Neo4j did not start (status " + status + "); see "
                    + settings.home().resolve("logs") + " for the reason");
        }
        EmbeddedServer server = new EmbeddedServer(bootstrapper, settings);
        try {
            server.registerProcedures();
            server.setPassword(password);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A port nothing listens on now, for servers that must not collide with a user's (benchmarks, scale runs). */
    public static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Map<String, String> configuration(Settings settings) {
        Map<String, String> config = new HashMap<>();
        config.put("server.default_listen_address", "127.0.0.1");
        config.put("server.default_advertised_address", "127.0.0.1");
        config.put("server.bolt.listen_address", "127.0.0.1:" + settings.boltPort());
        config.put("server.http.listen_address", "127.0.0.1:" + settings.httpPort());
        config.put("server.bolt.advertised_address", "127.0.0.1:" + settings.boltPort());
        config.put("server.http.advertised_address", "127.0.0.1:" + settings.httpPort());
        config.put("server.https.enabled", "false");
        config.put("dbms.security.auth_enabled", "true");
        config.put("dbms.security.procedures.unrestricted", "gds.*,lastfm.*");
        config.put("server.directories.import", settings.importDirectory().toAbsolutePath().toString());
        config.put("server.memory.pagecache.size", settings.pageCache());
        config.put("dbms.usage_report.enabled", "false");
        config.putAll(webSettings("http://127.0.0.1:" + settings.httpPort()));
        // Without this, stopping waits out Bolt's Netty quiet period (about 10 s).
        config.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");
        return config;
    }

    /**
     * The settings that make Browser ready on login and serve the explorer, for a server reached at {@code base}
     * (scheme, host and HTTP port): our pages at /lastfm (static files: no login needed to fetch them, the data
     * behind them needs one), Browser allowed to load its style and guide from there, and the style applied and
     * the guide opened after every login. A plugin install sets the same in neo4j.conf (README, "Install").
     */
    public static Map<String, String> webSettings(String base) {
        Map<String, String> config = new HashMap<>();
        config.put("server.unmanaged_extension_classes", "org.lastfmgnn.web=/lastfm");
        config.put("dbms.security.http_auth_allowlist", "/,/browser.*,/lastfm/.*");
        config.put("browser.remote_content_hostname_whitelist", java.net.URI.create(base).getHost());
        config.put("browser.post_connect_cmd", "style " + base + "/lastfm/lastfm.grass; play " + base + "/lastfm/guide.html");
        return config;
    }

    /** A server started from a class path has no plugins folder to scan: register by class instead. */
    private void registerProcedures() throws Exception {
        ProcedureClasses.registerAll(database());
    }

    private void setPassword(String password) {
        GraphDatabaseService system = management().database("system");
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Restarting an existing store with the password it already has is fine.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    public DatabaseManagementService management() {
        return bootstrapper.getDatabaseManagementService();
    }

    public GraphDatabaseService database() {
        return management().database("neo4j");
    }

    public String boltUri() {
        return "bolt://127.0.0.1:" + settings.boltPort();
    }

    public String httpUri() {
        return "http://127.0.0.1:" + settings.httpPort();
    }

    public String browserUri() {
        return httpUri() + "/browser/";
    }

    /** The explorer page (web.LastFmWeb): graphs Browser cannot draw. */
    public String explorerUri() {
        return httpUri() + "/lastfm/explorer";
    }

    @Override
    public void close() {
        bootstrapper.stop();
    }
}

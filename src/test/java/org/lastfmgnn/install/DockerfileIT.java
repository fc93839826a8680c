package org.lastfmgnn.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.server.EmbeddedServer;

/**
 * {@code docker/Dockerfile} cannot be built on the machines this project is built on (no Docker engine), so what can
 * be checked without one is checked here: its Neo4j settings, read the way the official image maps its environment
 * ({@code NEO4J_a_b__c} is setting {@code a.b_c}), include the web settings the launcher gives its own server for
 * Browser at the address compose publishes, and every file it copies exists once the build has packaged the jars
 * (an integration test for that: it runs after {@code package}).
 */
class DockerfileIT {
    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Pattern SETTING = Pattern.compile("(NEO4J_[A-Za-z0-9_]+)='([^']*)'");

    @Test
    void theImageServesBrowserStyleGuideAndExplorerAsTheLauncherDoes() throws IOException {
        Map<String, String> settings = new HashMap<>();
        Matcher m = SETTING.matcher(Files.readString(DOCKERFILE));
        while (m.find()) {
            settings.put(settingName(m.group(1)), m.group(2));
        }
        assertThat(settings).containsAllEntriesOf(EmbeddedServer.webSettings("http://127.0.0.1:7474"));
        assertThat(settings).containsEntry("dbms.security.procedures.unrestricted", "gds.*,lastfm.*");
        assertThat(Files.readString(Path.of("docker", "compose.yaml"))).contains("127.0.0.1:7474:7474");
    }

    @Test
    void everyFileTheImageCopiesIsThere() throws IOException {
        for (String line : Files.readAllLines(DOCKERFILE)) {
            if (line.startsWith("COPY ")) {
                String[] words = line.replaceAll("--[a-z]+=\\S+", "").trim().split("\\s+");
                for (int i = 1; i < words.length - 1; i++) {
                    assertThat(Path.of(words[i])).as("COPY source in the Dockerfile").exists();
                }
            }
        }
    }

    @Test
    void environmentNamesMapAsTheOfficialImageMapsThem() {
        assertThat(settingName("NEO4J_server_unmanaged__extension__classes")).isEqualTo("server.unmanaged_extension_classes");
        assertThat(settingName("NEO4J_dbms_security_procedures_unrestricted")).isEqualTo("dbms.security.procedures.unrestricted");
    }

    /** The official image's rule: the prefix dropped, each {@code __} an underscore, each other {@code _} a dot. */
    private static String settingName(String variable) {
        return variable.substring("NEO4J_".length()).replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }
}

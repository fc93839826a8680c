package org.lastfmgnn.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plugin jar for each platform (only linux-x86_64 can run here): it holds our classes and DJL, the PyTorch
 * native libraries DJL looks up for that platform ({@code native/lib/pytorch.properties} names them, under
 * {@code pytorch/cpu/<platform>/}) and its JNI library ({@code jnilib/<platform>/cpu/}), and nothing of another
 * platform, of CUDA, or of what Neo4j ships.
 */
class PlatformJarsIT {
    private static final List<String> PLATFORMS = List.of("linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64");

    @ParameterizedTest
    @CsvSource({"lastfm-gnn-plugin.jar, linux-x86_64, libdjl_torch.so",
        "lastfm-gnn-plugin-linux-aarch64.jar, linux-aarch64, libdjl_torch.so",
        "lastfm-gnn-plugin-osx-aarch64.jar, osx-aarch64, libdjl_torch.dylib",
        "lastfm-gnn-plugin-win-x86_64.jar, win-x86_64, djl_torch.dll"})
    void eachJarHoldsItsPlatformsNativesAndNoOthers(String file, String platform, String jni) throws IOException {
        try (JarFile jar = new JarFile(Path.of("target", file).toFile())) {
            Properties natives = new Properties();
            natives.load(jar.getInputStream(jar.getEntry("native/lib/pytorch.properties")));
            assertThat(natives.getProperty("classifier")).isEqualTo(platform);
            assertThat(natives.getProperty("flavor")).isEqualTo("cpu");
            for (String library : natives.getProperty("libraries").split(",")) {
                assertThat(jar.getEntry("pytorch/cpu/" + platform + "/" + library)).as(library).isNotNull();
            }
            assertThat(jar.getEntry("jnilib/" + platform + "/cpu/" + jni)).isNotNull();
            assertThat(jar.getEntry("org/lastfmgnn/procedures/TrainProcedure.class")).isNotNull();
            assertThat(jar.getEntry("ai/djl/pytorch/engine/PtEngine.class")).isNotNull();
            assertThat(jar.getEntry("META-INF/services/ai.djl.engine.EngineProvider")).isNotNull();
            List<String> names = jar.stream().map(java.util.zip.ZipEntry::getName).toList();
            for (String other : PLATFORMS) {
                if (!other.equals(platform)) {
                    assertThat(names).as("nothing of " + other).noneMatch(n -> n.contains("/" + other + "/"));
                }
            }
            assertThat(names).as("no CUDA").noneMatch(n -> n.contains("/cu1"));
            assertThat(names).as("nothing Neo4j or GDS ship").noneMatch(n -> n.startsWith("org/neo4j/")
                    || n.startsWith("com/google/gson/") || n.startsWith("com/sun/jna/") || n.startsWith("org/slf4j/"));
            assertThat(names).as("not the launcher").noneMatch(n -> n.startsWith("org/lastfmgnn/launcher/"));
        }
    }
}

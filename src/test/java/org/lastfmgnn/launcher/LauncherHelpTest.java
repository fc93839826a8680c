package org.lastfmgnn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LauncherHelpTest {
    @Test
    void helpDocumentsEveryOption() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new Launcher()).setOut(new PrintWriter(out)).execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--exit", "--skip-pipeline", "--out", "--store", "--data", "--features",
                "--password", "--http-port", "--bolt-port", "--bench-seeds", "--device", "LASTFM_NEO4J_PASSWORD");
    }

    @Test
    void unknownOptionsAreRefused() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Launcher()).setErr(new PrintWriter(err)).execute("--fetaures", "none");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--fetaures");
        StringWriter badSeed = new StringWriter();
        assertThat(new CommandLine(new Launcher()).setErr(new PrintWriter(badSeed)).execute("--bench", "friends", "--bench-seeds", "43,x"))
                .isEqualTo(2);
        assertThat(badSeed.toString()).contains("--bench-seeds").contains("'x'");
    }

    /** A device that does not exist, or that this process lacks, is refused before anything is staged or started. */
    @Test
    void aDeviceThatIsNotHereIsRefusedAtOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        StringWriter typo = new StringWriter();
        assertThat(new CommandLine(new Launcher()).setErr(new PrintWriter(typo)).execute("--device", "tpu")).isEqualTo(2);
        assertThat(typo.toString()).contains("--device").contains("[auto, cpu, gpu]").contains("'tpu'");
        assertThat(java.util.Arrays.stream(Launcher.DeviceChoice.values()).map(Enum::name).toList())
                .as("the option's values are the training's").isEqualTo(org.lastfmgnn.model.Engines.DEVICES);
        StringWriter gpu = new StringWriter();
        java.nio.file.Path out = tmp.resolve("out");
        assertThat(new CommandLine(new Launcher()).setErr(new PrintWriter(gpu, true))
                .execute("--device", "gpu", "--exit", "--out", out.toString())).isEqualTo(2);
        assertThat(gpu.toString()).contains("lastfm-gnn: device 'gpu'").contains("pytorch-native-cu");
        assertThat(out).as("nothing made").doesNotExist();
    }
}

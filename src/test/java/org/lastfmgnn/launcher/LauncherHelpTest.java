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
                "--password", "--http-port", "--bolt-port", "--bench-seeds", "LASTFM_NEO4J_PASSWORD");
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
}

package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

/**
 * Once the engine has started, oneMKL runs with strict conditional numerical reproducibility, as
 * {@link MklReproducibility} asks before libtorch loads: on x86-64 Linux (CI's platform) the mode reads
 * AUTO,STRICT unless the environment set its own {@code MKL_CBWR} first; on ARM there is no oneMKL to ask.
 */
class MklReproducibilityTest {
    @Test
    void oneMklRoundsReproducibly() {
        Engines.pytorch();
        int mode = MklReproducibility.mode();
        if (!Platform.isIntel()) {
            assertThat(mode).as("libtorch for ARM has no oneMKL").isEqualTo(-1);
        } else if (!Platform.isWindows() && System.getenv("MKL_CBWR") == null) {
            assertThat(mode).isEqualTo(MklReproducibility.AUTO_STRICT);
        } // on Windows, or with the user's own MKL_CBWR, the mode is theirs
    }
}

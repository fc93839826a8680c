package org.lastfmgnn.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A head's logits are each artist's features dotted with its weights in one order, whatever way {@link
 * ArtistPairFeatures.User#logits} walks the artists: every logit equals the plain sum of its filled features to the
 * bit, for even and odd numbers of artists (the last one alone).
 */
class ArtistPairFeaturesTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 7842})
    void everyLogitIsItsFeaturesDottedWithTheHead(int artists) {
        Random random = new Random(artists);
        ArtistPairFeatures.User user = new ArtistPairFeatures.User(floats(random, artists), floats(random, artists),
                floats(random, artists), floats(random, artists), 2.3, floats(random, artists), 0.7,
                floats(random, artists), 17.5, floats(random, artists), floats(random, artists));
        float[] head = floats(random, ArtistPairFeatures.WIDTH + 1);
        float[] logits = user.logits(head);
        assertThat(logits).hasSize(artists);
        float[] x = new float[ArtistPairFeatures.WIDTH];
        for (int a = 0; a < artists; a++) {
            user.fill(a, x, 0);
            double z = head[ArtistPairFeatures.WIDTH];
            for (int j = 0; j < x.length; j++) {
                z += head[j] * x[j];
            }
            assertThat(Float.floatToIntBits(logits[a])).as("artist %d", a).isEqualTo(Float.floatToIntBits((float) z));
        }
    }

    private static float[] floats(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextFloat() * 4 - 2;
        }
        return values;
    }
}

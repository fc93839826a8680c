package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TorchGenerator} draws what libtorch's own CPU generator draws after {@code manual_seed}: every uniform the
 * same float, and every dropout flag the same, for seeds of either sign and beyond 32 bits, lengths shorter and
 * longer than one 624-word block, and the rates the models use. A mask drawn otherwise would move every trained
 * figure: this is what keeps them.
 */
class TorchGeneratorTest {
    @ParameterizedTest
    @CsvSource({
        "0, 1, 0.5",
        "42, 623, 0.2",
        "-1, 624, 0.5",
        "-4569129087685675272, 625, 0.1",
        "7134611160154358618, 1249, 0.9",
        "9223372036854775807, 487936, 0.5",
        "-9223372036854775808, 449819, 0.2",
        "4294967296, 100000, 0.3",
    })
    void drawsLibtorchsUniformsAndFlags(long seed, int length, float rate) {
        float[] libtorchUniforms;
        boolean[] libtorchFlags;
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            JniUtils.setSeed(seed);
            NDArray uniforms = manager.randomUniform(0f, 1f, new Shape(length));
            libtorchUniforms = uniforms.toFloatArray();
            libtorchFlags = uniforms.gte(rate).toBooleanArray();
        }

        TorchGenerator generator = new TorchGenerator(seed);
        float[] uniforms = new float[length];
        for (int i = 0; i < length; i++) {
            uniforms[i] = (generator.nextInt() & 0xFFFFFF) / (float) (1 << 24);
        }
        assertThat(Arrays.mismatch(uniforms, libtorchUniforms)).as("the first uniform that differs").isEqualTo(-1);

        FloatBuffer flags = drawFlags(new TorchGenerator(seed), rate, length);
        assertThat(firstDifference(flags, libtorchFlags, 0)).as("the first flag that differs").isEqualTo(-1);
        int kept = 0;
        for (int i = 0; i < length; i++) {
            kept += (int) flags.get(i);
        }

        // flags after some outputs were drawn one at a time: the stream goes on where they stopped, mid-block
        TorchGenerator resumed = new TorchGenerator(seed);
        int drawn = length / 3;
        for (int i = 0; i < drawn; i++) {
            resumed.nextInt();
        }
        FloatBuffer rest = drawFlags(resumed, rate, length - drawn);
        assertThat(firstDifference(rest, libtorchFlags, drawn)).as("the first resumed flag that differs").isEqualTo(-1);
        if (length >= 100000) {
            assertThat(kept / (double) length).isCloseTo(1 - rate, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    /** {@code length} flags drawn into a direct buffer, as a tensor's memory, read back as floats. */
    private static FloatBuffer drawFlags(TorchGenerator generator, float rate, int length) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(length * Float.BYTES);
        generator.atLeast(rate, 1f, bytes);
        assertThat(bytes.hasRemaining()).as("every byte put").isFalse();
        return bytes.rewind().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * The first index where {@code flags} is not 1 for libtorch's true and 0 for its false (libtorch's from {@code
     * offset} on); -1: none.
     */
    private static int firstDifference(FloatBuffer flags, boolean[] libtorchFlags, int offset) {
        for (int i = 0; i < flags.capacity(); i++) {
            if (flags.get(i) != (libtorchFlags[offset + i] ? 1f : 0f)) {
                return i;
            }
        }
        return -1;
    }
}

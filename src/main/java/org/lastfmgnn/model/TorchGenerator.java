package org.lastfmgnn.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * libtorch's CPU generator as {@code torch::manual_seed(seed)} leaves it, drawn in Java: MT19937 seeded with the
 * seed's low 32 bits (the reference {@code init_genrand}, as libtorch's {@code mt19937} seeds), each float uniform in
 * [0, 1) the low 24 bits of one 32-bit output over 2^24 (PyTorch's {@code uniform_real_distribution<float>}).
 *
 * <p>Why not libtorch's own: it has one default generator per process, so a mask drawn from a seed must hold a
 * lock over seeding and drawing that every training in the JVM waits on, and the draw is a float tensor of uniforms
 * compared against the rate afterwards; dropout's masks were two fifths of a GCN training epoch on 2 cores. Here a
 * mask is drawn on the training's own thread, straight into its tensor's memory as float flags (BENCHMARKS.md,
 * "Dropout's masks drawn in Java" and "Dropout's masks as floats"). The flags are libtorch's to the bit
 * ({@code TorchGeneratorTest}), so every trained figure stays as it was. commons-math3's {@code
 * MersenneTwister(int)} would not do: it seeds a negative int otherwise than the reference (it shifts the
 * sign-extended seed).
 */
final class TorchGenerator {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    /** The mantissa of a float: a uniform is (output & (2^24 - 1)) / 2^24. */
    private static final int UNIFORM_BITS = 24;

    private final int[] state = new int[N];
    /** {@link #twist}'s scratch: each word's successor, and each word's mix with it. */
    private final int[] following = new int[N];
    private final int[] mixes = new int[N];
    /** The next output's index in {@link #state}; {@link #N}: twist first. */
    private int next = N;

    TorchGenerator(long seed) {
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int previous = state[j - 1];
            state[j] = 1812433253 * (previous ^ (previous >>> 30)) + j;
        }
    }

    /** The next 32-bit output. */
    int nextInt() {
        if (next == N) {
            twist();
        }
        return temper(state[next++]);
    }

    /**
     * Whether each of the next float uniforms is at least {@code rate} (libtorch's {@code rand(...) >= rate}), as a
     * keep mask to multiply by: float {@code kept} or 0, in native order, put to {@code out} until it has no room left.
     *
     * @param rate in [0, 1]
     * @param kept what a kept unit's flag is: 1, or a scale folded into the mask
     * @param out  room for a whole number of floats
     */
    void atLeast(float rate, float kept, ByteBuffer out) {
        if (out.remaining() % Float.BYTES != 0) {
            throw new IllegalArgumentException(out.remaining() + " bytes are not a whole number of floats");
        }
        // u = k / 2^24 >= rate  <=>  k >= rate * 2^24 (exact: rate has 24 significant bits)  <=>  k >= ceil(...)
        int threshold = (int) Math.ceil(rate * (double) (1 << UNIFORM_BITS));
        IntBuffer bits = out.slice().order(ByteOrder.nativeOrder()).asIntBuffer();
        int[] words = new int[N];
        int[] flags = new int[N];
        while (bits.hasRemaining()) {
            if (next == N) {
                twist();
            }
            int count = Math.min(N - next, bits.remaining());
            System.arraycopy(state, next, words, 0, count);
            floatFlags(words, threshold, Float.floatToRawIntBits(kept), flags);
            bits.put(flags, 0, count);
            next += count;
        }
        out.position(out.limit());
    }

    /**
     * Each word's flag as a float's bits ({@code keptBits} or 0f's), in int operations only and over whole arrays:
     * C2 vectorises this loop so, and not with a count and an offset as its bounds or with an int-to-float
     * conversion in it, which made it 4 times slower (BENCHMARKS.md, "Dropout's masks as floats").
     */
    private static void floatFlags(int[] words, int threshold, int keptBits, int[] flags) {
        for (int j = 0; j < words.length; j++) {
            // both operands are in [0, 2^24], so the difference's sign bit says which is smaller
            int flag = ((temper(words[j]) & ((1 << UNIFORM_BITS) - 1)) - threshold) >>> 31 ^ 1;
            flags[j] = -flag & keptBits;
        }
    }

    private static int temper(int y) {
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >>> 18);
    }

    /**
     * The reference generator's next 624 states (its {@code next_state}): new word k is word (k + 397) mod 624
     * exclusive-or the mix of old words k and k + 1, where word (k + 397) mod 624 is still old for k below 227 and
     * already new from there on, and the last word mixes with the new word 0. So every mix but the last reads old
     * words only: they go first, in a loop of their own over whole arrays (which C2 vectorises: half the time of the
     * reference's single loop), then the two ranges of exclusive-ors.
     */
    private void twist() {
        System.arraycopy(state, 1, following, 0, N - 1);
        following[N - 1] = 0; // its mix is redone below with the new word 0
        for (int k = 0; k < N; k++) {
            mixes[k] = mix(state[k], following[k]);
        }
        for (int k = 0; k < N - M; k++) {
            state[k] = state[k + M] ^ mixes[k];
        }
        for (int k = N - M; k < N - 1; k++) {
            state[k] = state[k + M - N] ^ mixes[k];
        }
        state[N - 1] = state[M - 1] ^ mix(state[N - 1], state[0]);
        next = 0;
    }

    private static int mix(int upper, int lower) {
        int y = (upper & 0x80000000) | (lower & 0x7fffffff);
        return (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
}

package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The likes matrix built natively in chunks is the matrix of the likes: each like at (user, artist) with the
 * user's 1/sqrt(likes), nothing elsewhere, whatever the chunk size (here smaller than a user's likes, so chunks
 * start and end inside users), and it multiplies as a sparse matrix after its build's scratch memory is gone.
 */
class LikesMatrixTest {
    @Test
    void chunksGiveTheMatrixOfTheLikes() {
        int[] offsets = {0, 3, 3, 4, 9};          // user 1 likes nothing
        int[] likes = {0, 2, 5, 1, 0, 1, 2, 3, 4}; // users 0, 2, 3
        int users = 4;
        int artists = 6;
        float[] expected = new float[users * artists];
        for (int u = 0; u < users; u++) {
            for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                expected[u * artists + likes[k]] = (float) (1 / Math.sqrt(offsets[u + 1] - offsets[u]));
            }
        }
        for (int chunk : new int[] {1, 2, 4, 1 << 20}) {
            try (NDManager m = Engines.pytorch().newBaseManager()) {
                SparseProduct likesProduct = GraphTensors.likesMatrix(m, offsets, likes, users, artists, chunk);
                NDArray sparse = likesProduct.coo();
                System.gc(); // nothing of the build may be read after it: its scratch arrays are closed
                float[] ones = new float[artists];
                java.util.Arrays.fill(ones, 1);
                float[] product = sparse.matMul(m.create(ones, new Shape(artists, 1))).toFloatArray();
                float[] dense = sparse.toDense().toFloatArray();
                assertThat(dense).as("chunk %d", chunk).containsExactly(expected, Offset.offset(1e-6f));
                assertThat(product[0]).isCloseTo((float) Math.sqrt(3), Offset.offset(1e-5f));
                assertThat(product[1]).isZero();
                assertThat(product[3]).isCloseTo((float) Math.sqrt(5), Offset.offset(1e-5f));
                // the CSR form over the same storage: the same product to the bit, and its transpose's
                float[] csr = likesProduct.times(m.create(ones, new Shape(artists, 1))).toFloatArray();
                assertThat(csr).containsExactly(product);
                float[] column = new float[users];
                java.util.Arrays.fill(column, 1);
                float[] transposed = likesProduct.transposedTimes(m.create(column, new Shape(users, 1))).toFloatArray();
                float[] expectedTransposed = new float[artists];
                for (int u = 0; u < users; u++) {
                    for (int a = 0; a < artists; a++) {
                        expectedTransposed[a] += expected[u * artists + a];
                    }
                }
                assertThat(transposed).as("chunk %d", chunk).containsExactly(expectedTransposed, Offset.offset(1e-6f));
            }
        }
    }
}

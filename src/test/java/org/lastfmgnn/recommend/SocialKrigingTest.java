package org.lastfmgnn.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;

/**
 * {@link SocialKriging}'s weights are the kriging solve its Javadoc states, checked against a dense solve written
 * out here from the formula; and {@link ArtistSignals#kriged} applies them to the visible users' likes beyond their
 * regions, as {@link ArtistSignals#krigedContributions} does user by user.
 */
class SocialKrigingTest {

    @Test
    void theWeightsSolveTheKrigingSystemOverTheVisibleUsersWithinTwoHops() {
        GraphSnapshot g = randomGraph(60, 110, 3);
        boolean[] visible = new boolean[g.userCount()];
        Random random = new Random(5);
        for (int u = 0; u < visible.length; u++) {
            visible[u] = random.nextDouble() < 0.7;
        }
        SocialKriging kriging = new SocialKriging(g, visible);
        double[][] m = mixing(g);
        int checked = 0;
        for (int u = 0; u < g.userCount(); u++) {
            SocialKriging.Weights w = kriging.weights(u);
            assertThat(w.users()).as("user %d's ball", u).containsExactly(ball(g, visible, u));
            int size = w.users().length;
            if (size == 0) {
                continue;
            }
            // (M_B M_B^T + ridge I) x = M_B M_u^T, densely
            double[][] system = new double[size][size + 1];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    system[i][j] = dot(m[w.users()[i]], m[w.users()[j]]) + (i == j ? SocialKriging.RIDGE : 0);
                }
                system[i][size] = dot(m[w.users()[i]], m[u]);
            }
            double[] exact = solve(system);
            for (int i = 0; i < size; i++) {
                assertThat(w.weights()[i]).as("user %d, weight %d", u, i).isCloseTo(exact[i], within(1e-6));
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void theKrigedLikesAreTheWeightedLikesBeyondTheirRegions() {
        GraphSnapshot g = randomGraph(40, 70, 8);
        boolean[] visible = new boolean[g.userCount()];
        for (int u = 0; u < visible.length; u++) {
            visible[u] = u % 3 != 0;
        }
        ArtistSignals signals = new ArtistSignals(g, visible);
        SocialKriging kriging = new SocialKriging(g, visible);
        for (int u = 0; u < g.userCount(); u += 3) {
            SocialKriging.Weights w = kriging.weights(u);
            double[] expected = new double[g.artistCount()];
            for (int i = 0; i < w.users().length; i++) {
                int v = w.users()[i];
                float[] regional = signals.regional(v);
                for (int a = 0; a < expected.length; a++) {
                    expected[a] -= w.weights()[i] * regional[a];
                }
                for (int k = g.likeOffsets()[v]; k < g.likeOffsets()[v + 1]; k++) {
                    expected[g.likes()[k]] += w.weights()[i];
                }
            }
            float[] kriged = signals.kriged(u);
            for (int a = 0; a < expected.length; a++) {
                assertThat((double) kriged[a]).as("user %d, artist %d", u, a).isCloseTo(expected[a], within(1e-5));
                // user by user (what an artist explanation lists), the same sum
                ArtistSignals.Contributions c = signals.krigedContributions(u, a);
                assertThat(c.users()).isEqualTo(w.users());
                assertThat(java.util.Arrays.stream(c.amounts()).sum()).isCloseTo(expected[a], within(1e-5));
                for (int i = 0; i < c.users().length; i++) {
                    int v = c.users()[i];
                    int artist = a;
                    assertThat(c.likes()[i]).isEqualTo(java.util.Arrays.stream(g.likes(), g.likeOffsets()[v],
                            g.likeOffsets()[v + 1]).anyMatch(x -> x == artist));
                }
            }
        }
    }

    /** Rows of M = OWN I + (1 - OWN) D^-1 A (a user with no friends: all its own). */
    private static double[][] mixing(GraphSnapshot g) {
        int n = g.userCount();
        double[][] m = new double[n][n];
        for (int u = 0; u < n; u++) {
            int degree = g.degree(u);
            m[u][u] = degree == 0 ? 1 : SocialKriging.OWN;
            for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
                m[u][g.friends()[e]] += (1 - SocialKriging.OWN) / degree;
            }
        }
        return m;
    }

    private static int[] ball(GraphSnapshot g, boolean[] visible, int u) {
        TreeSet<Integer> ball = new TreeSet<>();
        for (int e = g.friendOffsets()[u]; e < g.friendOffsets()[u + 1]; e++) {
            int v = g.friends()[e];
            ball.add(v);
            for (int f = g.friendOffsets()[v]; f < g.friendOffsets()[v + 1]; f++) {
                ball.add(g.friends()[f]);
            }
        }
        ball.remove(u);
        return ball.stream().filter(v -> visible[v]).mapToInt(Integer::intValue).toArray();
    }

    /** Gaussian elimination with partial pivoting on an augmented matrix. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= n; k++) {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** A random simple graph with a few friendless users, 3 regions (one user unknown), 25 artists. */
    static GraphSnapshot randomGraph(int n, int edges, long seed) {
        Random random = new Random(seed);
        List<TreeSet<Integer>> adjacency = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            adjacency.add(new TreeSet<>());
        }
        for (int e = 0; e < edges; e++) {
            int a = random.nextInt(n - 3); // the last three users stay friendless
            int b = random.nextInt(n - 3);
            if (a != b) {
                adjacency.get(a).add(b);
                adjacency.get(b).add(a);
            }
        }
        int[] friendOffsets = new int[n + 1];
        for (int u = 0; u < n; u++) {
            friendOffsets[u + 1] = friendOffsets[u] + adjacency.get(u).size();
        }
        int[] friends = adjacency.stream().flatMap(TreeSet::stream).mapToInt(Integer::intValue).toArray();
        int artists = 25;
        int[] likeOffsets = new int[n + 1];
        List<Integer> likes = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            for (int a = 0; a < artists; a++) {
                if (random.nextDouble() < 0.3) {
                    likes.add(a);
                }
            }
            likeOffsets[u + 1] = likes.size();
        }
        int[] regions = new int[n];
        long[] ids = new long[n];
        for (int u = 0; u < n; u++) {
            regions[u] = u == 0 ? -1 : random.nextInt(3);
            ids[u] = u;
        }
        long[] artistIds = new long[artists];
        int[] artistIndex = new int[artists];
        for (int a = 0; a < artists; a++) {
            artistIds[a] = a;
            artistIndex[a] = a;
        }
        return new GraphSnapshot(ids.clone(), ids, regions, friendOffsets, friends, likeOffsets,
                likes.stream().mapToInt(Integer::intValue).toArray(), artistIndex, artistIds, "synthetic");
    }
}

package org.lastfmgnn.recommend;

import java.util.Arrays;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Workers;

/**
 * What the visible users' likes say about each artist for one user, as shares in [0, 1] per artist:
 * <ul>
 *   <li>{@link #popularity()}: of all visible users;</li>
 *   <li>{@link #regional(int)}: of the visible users of the user's region, shrunk towards {@link #popularity()}
 *       by {@value #REGIONAL_PRIOR_USERS} users' worth of it (all visible users when the region is unknown);</li>
 *   <li>{@link #friends(int)}: of the user's visible friends;</li>
 *   <li>{@link #friendsOfFriends(int)}: of the distinct visible users two hops away (not the user, not its
 *       friends: no path brings the user's own likes back to it);</li>
 *   <li>{@link #itemNeighbours(int)}: item-kNN (Sarwar et al. 2001) on the friends' shares: each artist's score
 *       is the cosine-weighted sum over its {@value #NEIGHBOURS} most co-liked artists, co-likes counted among
 *       the visible users.</li>
 *   <li>{@link #kriged(int)}: what the user likes beyond its region, predicted from the visible users' likes beyond
 *       theirs by {@link SocialKriging}.</li>
 * </ul>
 * A held-out user is never visible, so none of these reads its likes.
 */
public final class ArtistSignals {
    static final int NEIGHBOURS = 50;
    /** Log-odds clip: an artist no visible user likes stays finite. */
    static final double EPSILON = 1e-4;
    /**
     * How many users' worth of the global shares each region's shares start from: a region's share of an artist is
     * (its visible users who like it + {@value} x the global share) / (its visible users + {@value}), the posterior
     * mean under a Beta prior centred on the global share. Small regions (16 to 73 users in LastFM Asia) otherwise
     * rank by a handful of users' likes. Chosen on fold seeds 1-3 from 0, 10, 30, 100, 300 (docs: BENCHMARKS.md,
     * "Artists: regional shares shrunk towards the global").
     */
    static final double REGIONAL_PRIOR_USERS = 100;

    private final GraphSnapshot g;
    private final boolean[] visible;
    private final int artists;
    private final float[] popularity;
    private final float[][] regional;
    private final float[] popularityLogOdds;
    private final float[][] regionalLogOdds;
    private final Workers workers;
    private final SocialKriging kriging;
    /** The item-kNN structure, built once, on first use or by {@link #buildItemNeighbours}. */
    private volatile ItemNeighbours knn;

    /** Each artist's {@value #NEIGHBOURS} most co-liked artists and their cosines. */
    private record ItemNeighbours(int[][] neighbour, float[][] similarity) {
    }

    public ArtistSignals(GraphSnapshot g, boolean[] visible) {
        this(g, visible, Workers.SEQUENTIAL);
    }

    /** @param workers where the item-kNN structure is built, artist by artist (the same for any concurrency) */
    public ArtistSignals(GraphSnapshot g, boolean[] visible, Workers workers) {
        this.g = g;
        this.workers = workers;
        this.visible = visible;
        this.artists = g.artistCount();
        this.kriging = new SocialKriging(g, visible);
        int classes = g.classCount();
        float[] all = new float[artists];
        float[][] byRegion = new float[classes][artists];
        int[] users = new int[classes];
        int seen = 0;
        for (int u = 0; u < g.userCount(); u++) {
            if (!visible[u]) {
                continue;
            }
            seen++;
            int r = g.regions()[u];
            if (r >= 0) {
                users[r]++;
            }
            for (int k = g.likeOffsets()[u]; k < g.likeOffsets()[u + 1]; k++) {
                all[g.likes()[k]]++;
                if (r >= 0) {
                    byRegion[r][g.likes()[k]]++;
                }
            }
        }
        for (int a = 0; a < artists; a++) {
            all[a] /= Math.max(1, seen);
        }
        for (int r = 0; r < classes; r++) {
            if (users[r] == 0) {
                byRegion[r] = all;
                continue;
            }
            for (int a = 0; a < artists; a++) {
                byRegion[r][a] = (float) ((byRegion[r][a] + REGIONAL_PRIOR_USERS * all[a]) / (users[r] + REGIONAL_PRIOR_USERS));
            }
        }
        popularity = all;
        regional = byRegion;
        popularityLogOdds = logOdds(all);
        regionalLogOdds = new float[classes][];
        for (int r = 0; r < classes; r++) {
            regionalLogOdds[r] = byRegion[r] == all ? popularityLogOdds : logOdds(byRegion[r]);
        }
    }

    /** The users whose likes these signals read. */
    public boolean[] visible() {
        return visible;
    }

    public float[] popularity() {
        return popularity;
    }

    public float[] regional(int user) {
        int r = g.regions()[user];
        return r < 0 ? popularity : regional[r];
    }

    /** {@link #popularity()} as log-odds, each share clipped to [{@value #EPSILON}, 1 - {@value #EPSILON}]. */
    public float[] popularityLogOdds() {
        return popularityLogOdds;
    }

    /** {@link #regional(int)} as log-odds, clipped as {@link #popularityLogOdds()}. */
    public float[] regionalLogOdds(int user) {
        int r = g.regions()[user];
        return r < 0 ? popularityLogOdds : regionalLogOdds[r];
    }

    public float[] friends(int user) {
        return friendsCounted(user).shares();
    }

    public float[] friendsOfFriends(int user) {
        return friendsOfFriendsCounted(user).shares();
    }

    /** Shares per artist among some visible users, and how many they are. */
    public record Shares(float[] shares, int users) {
    }

    /** {@link #friends(int)}, with the number of visible friends it averages over. */
    public Shares friendsCounted(int user) {
        Weighted sum = visibleFriendsLikes(user, false);
        int count = (int) sum.weight();
        return new Shares(scaled(sum.sums(), count), count);
    }

    /** {@link #friendsOfFriends(int)}, with the number of visible users two hops away. */
    public Shares friendsOfFriendsCounted(int user) {
        float[] share = new float[artists];
        boolean[] near = new boolean[g.userCount()];
        near[user] = true;
        for (int e = g.friendOffsets()[user]; e < g.friendOffsets()[user + 1]; e++) {
            near[g.friends()[e]] = true;
        }
        int count = 0;
        for (int e = g.friendOffsets()[user]; e < g.friendOffsets()[user + 1]; e++) {
            int v = g.friends()[e];
            for (int f = g.friendOffsets()[v]; f < g.friendOffsets()[v + 1]; f++) {
                int w = g.friends()[f];
                if (!near[w]) {
                    near[w] = true; // counted once, however many friends lead to it
                    if (visible[w]) {
                        count++;
                        addLikes(share, w, 1);
                    }
                }
            }
        }
        return new Shares(scaled(share, count), count);
    }

    /** Per-artist sums over some visible users, each with a weight, and the weights' total. */
    public record Weighted(float[] sums, double weight) {
    }

    /**
     * The visible friends' likes, each friend counting 1/degree (a friend with few friends says more about this
     * one than a hub does: resource allocation's weighting, applied to likes).
     */
    public Weighted friendsByDegree(int user) {
        return visibleFriendsLikes(user, true);
    }

    /** The visible friends' likes summed per artist, each friend weighing 1 or 1/its degree, and the weights' total. */
    private Weighted visibleFriendsLikes(int user, boolean byDegree) {
        float[] sum = new float[artists];
        double weight = 0;
        for (int e = g.friendOffsets()[user]; e < g.friendOffsets()[user + 1]; e++) {
            int v = g.friends()[e];
            if (visible[v]) {
                addLikes(sum, v, byDegree ? 1f / g.degree(v) : 1f);
                weight += byDegree ? 1.0 / g.degree(v) : 1;
            }
        }
        return new Weighted(sum, weight);
    }

    /**
     * What the visible friends' regions alone predict: the mean of their regional shares ({@link #regional(int)}).
     * The friends' shares minus this are what the friends like beyond their regions.
     */
    public float[] friendsRegional(int user) {
        int[] perRegion = new int[regional.length + 1]; // the last: friends with no known region
        int count = 0;
        for (int e = g.friendOffsets()[user]; e < g.friendOffsets()[user + 1]; e++) {
            int v = g.friends()[e];
            if (visible[v]) {
                int r = g.regions()[v];
                perRegion[r < 0 ? perRegion.length - 1 : r]++;
                count++;
            }
        }
        float[] mean = new float[artists];
        for (int r = 0; r < perRegion.length; r++) {
            if (perRegion[r] > 0) {
                float[] shares = r == perRegion.length - 1 ? popularity : regional[r];
                for (int a = 0; a < artists; a++) {
                    mean[a] += perRegion[r] * shares[a];
                }
            }
        }
        return scaled(mean, count);
    }

    /**
     * The kriged prediction of the user's likes beyond its region's shares (per artist, in share units: add
     * {@link #regional(int)} for a predicted share): {@link SocialKriging}'s weights over the visible users near the
     * user, applied to each one's likes minus its region's shares.
     */
    public float[] kriged(int user) {
        SocialKriging.Weights w = kriging.weights(user);
        float[] out = new float[artists];
        double[] perRegion = new double[regional.length + 1]; // the last: users with no known region
        for (int i = 0; i < w.users().length; i++) {
            int v = w.users()[i];
            addLikes(out, v, (float) w.weights()[i]);
            int r = g.regions()[v];
            perRegion[r < 0 ? perRegion.length - 1 : r] += w.weights()[i];
        }
        for (int r = 0; r < perRegion.length; r++) {
            if (perRegion[r] != 0) {
                float[] shares = r == perRegion.length - 1 ? popularity : regional[r];
                float by = (float) perRegion[r];
                for (int a = 0; a < artists; a++) {
                    out[a] -= by * shares[a];
                }
            }
        }
        return out;
    }

    /** Visible users, what each one's likes add to a kriged share (the amounts sum to it), and whether each likes the artist. */
    public record Contributions(int[] users, double[] amounts, boolean[] likes) {
    }

    /**
     * {@link #kriged(int)}'s value for one artist, user by user: each visible user near {@code user} adds its kriging
     * weight times (1 if it likes the artist, else 0, minus its region's share of the artist).
     */
    public Contributions krigedContributions(int user, int artist) {
        SocialKriging.Weights w = kriging.weights(user);
        double[] amounts = new double[w.users().length];
        boolean[] likes = new boolean[amounts.length];
        for (int i = 0; i < amounts.length; i++) {
            int v = w.users()[i];
            for (int k = g.likeOffsets()[v]; k < g.likeOffsets()[v + 1] && !likes[i]; k++) {
                likes[i] = g.likes()[k] == artist;
            }
            amounts[i] = w.weights()[i] * ((likes[i] ? 1 : 0) - regional(v)[artist]);
        }
        return new Contributions(w.users(), amounts, likes);
    }

    /** Item-kNN on the friends' shares (the user's own likes are hidden: its friends stand for them). */
    public float[] itemNeighbours(int user) {
        return itemNeighbours(friends(user));
    }

    /** Item-kNN scores of a profile (shares per artist). */
    float[] itemNeighbours(float[] profile) {
        ItemNeighbours k = knn;
        if (k == null) {
            k = buildNeighbours();
        }
        float[] scores = new float[artists];
        for (int b = 0; b < artists; b++) {
            if (profile[b] == 0) {
                continue;
            }
            int[] neighbour = k.neighbour()[b];
            float[] similarity = k.similarity()[b];
            for (int j = 0; j < neighbour.length; j++) {
                scores[neighbour[j]] += similarity[j] * profile[b];
            }
        }
        return scores;
    }

    private synchronized ItemNeighbours buildNeighbours() {
        if (knn == null) {
            buildItemNeighbours(this);
        }
        return knn;
    }

    /**
     * Builds the item-kNN structures ({@link #itemNeighbours(int)}) of signals whose visible users are nested (each
     * set's within the next one's, on the same graph), in one pass: the {@value #NEIGHBOURS} artists most co-liked
     * with each artist among a set's visible users (cosine of their like columns). Each artist's co-like counts are
     * gathered in one reused row through an artist -> likers index whose likers come in order of the first set
     * that sees them: after the first set's likers the row is that set's, and it goes on growing into the next
     * set's. So no artist x artist matrix is held, the row stays in cache, and the users the sets share are
     * counted once (a fold's fitting users are part of its training users). Counts are integers: each set gets
     * the structure it would get alone, to the bit. The first set's workers do the artists.
     */
    public static void buildItemNeighbours(ArtistSignals... nested) {
        ArtistSignals first = nested[0];
        GraphSnapshot g = first.g;
        int artists = first.artists;
        int sets = nested.length;
        int[] setOf = new int[g.userCount()]; // the first set that sees the user; sets: none
        java.util.Arrays.fill(setOf, sets);
        for (int u = 0; u < g.userCount(); u++) {
            for (int k = 0; k < sets; k++) {
                if (nested[k].visible[u]) {
                    setOf[u] = Math.min(setOf[u], k);
                } else if (setOf[u] < k) {
                    throw new IllegalArgumentException("the signals' visible users are not nested: user " + u
                            + " is visible to set " + setOf[u] + " and not to set " + k);
                }
            }
        }
        float[][] norm = new float[sets][artists];
        for (int k = 0; k < sets; k++) {
            for (int a = 0; a < artists; a++) {
                norm[k][a] = (float) Math.sqrt(nested[k].popularity[a]);
            }
        }
        int[] offsets = g.likeOffsets();
        int[] likes = g.likes();
        // artist -> its likers (CSR), within an artist ordered by the first set that sees them; ends[a][k]: where
        // set k's likers of artist a end
        int[] likerOffsets = new int[artists + 1];
        int[][] perSet = new int[sets][artists];
        for (int u = 0; u < g.userCount(); u++) {
            if (setOf[u] < sets) {
                for (int m = offsets[u]; m < offsets[u + 1]; m++) {
                    likerOffsets[likes[m] + 1]++;
                    perSet[setOf[u]][likes[m]]++;
                }
            }
        }
        for (int a = 0; a < artists; a++) {
            likerOffsets[a + 1] += likerOffsets[a];
        }
        int[][] fill = new int[sets][artists];
        int[][] ends = new int[artists][sets];
        for (int a = 0; a < artists; a++) {
            int at = likerOffsets[a];
            for (int k = 0; k < sets; k++) {
                fill[k][a] = at;
                at += perSet[k][a];
                ends[a][k] = at;
            }
        }
        int[] likers = new int[likerOffsets[artists]];
        for (int u = 0; u < g.userCount(); u++) {
            if (setOf[u] < sets) {
                for (int m = offsets[u]; m < offsets[u + 1]; m++) {
                    likers[fill[setOf[u]][likes[m]]++] = u;
                }
            }
        }
        int[][][] nb = new int[sets][artists][];
        float[][][] sim = new float[sets][artists][];
        // one co-like row and one cosine row per thread, reused from artist to artist
        ThreadLocal<int[]> rows = ThreadLocal.withInitial(() -> new int[artists]);
        ThreadLocal<float[]> cosines = ThreadLocal.withInitial(() -> new float[artists]);
        first.workers.forEach(artists, a -> {
            int[] row = rows.get();
            float[] cosine = cosines.get();
            Arrays.fill(row, 0);
            int i = likerOffsets[a];
            for (int k = 0; k < sets; k++) {
                for (; i < ends[a][k]; i++) {
                    int u = likers[i];
                    for (int m = offsets[u]; m < offsets[u + 1]; m++) {
                        row[likes[m]]++;
                    }
                }
                float[] n = norm[k];
                for (int b = 0; b < artists; b++) {
                    int count = b == a ? 0 : row[b];
                    cosine[b] = count == 0 || n[a] == 0 || n[b] == 0 ? 0 : count / (n[a] * n[b]);
                }
                int[] top = Ranking.topK(cosine, 0, artists, NEIGHBOURS, new int[0]);
                nb[k][a] = top;
                sim[k][a] = new float[top.length];
                for (int j = 0; j < top.length; j++) {
                    sim[k][a][j] = cosine[top[j]];
                }
            }
        });
        for (int k = 0; k < sets; k++) {
            nested[k].knn = new ItemNeighbours(nb[k], sim[k]);
        }
    }

    private void addLikes(float[] share, int v, float weight) {
        for (int k = g.likeOffsets()[v]; k < g.likeOffsets()[v + 1]; k++) {
            share[g.likes()[k]] += weight;
        }
    }

    private static float[] scaled(float[] counts, int by) {
        if (by > 0) {
            for (int a = 0; a < counts.length; a++) {
                counts[a] /= by;
            }
        }
        return counts;
    }

    private static float[] logOdds(float[] shares) {
        float[] out = new float[shares.length];
        for (int a = 0; a < out.length; a++) {
            double q = Math.min(1 - EPSILON, Math.max(EPSILON, shares[a]));
            out[a] = (float) Math.log(q / (1 - q));
        }
        return out;
    }

    /** Scores divided by their largest, so that signals of different scales can be blended. */
    static float[] normalised(float[] scores) {
        float max = 0;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        float[] out = Arrays.copyOf(scores, scores.length);
        if (max > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= max;
            }
        }
        return out;
    }
}

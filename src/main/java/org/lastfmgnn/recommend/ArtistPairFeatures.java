package org.lastfmgnn.recommend;

import java.util.List;

/**
 * What the visible users' likes say about one (user, artist) pair, as {@link #NAMES} numbers: the inputs of the
 * artist model's logistic head. They transform {@link ArtistSignals}' shares so that one weight per feature, shared
 * by every artist, can combine them: log-odds for the popularities (a like is a Bernoulli outcome), the friends'
 * shares also scaled by how many friends they average over (a share of 3 of 4 friends says less than one of 30 of
 * 40), the friends weighted by 1/degree, what the friends like beyond what their own regions predict, and the kriged
 * likes ({@link ArtistSignals#kriged}, which alone ranks nearly as well as all of them together: measured on the
 * synthetic likes, the head 0.5806 against kriging's 0.5804 and 0.5750 without it). The first 13 were chosen by the
 * measurement in docs/experiments/artist_headroom.py (the 1/degree weighting and the count interactions added the
 * most there; the six signals it has beyond these, diffusion over more hops among them, added 0.0004 together).
 * Compute one user's with {@link #of}, then an artist's with {@link User#fill}.
 */
public final class ArtistPairFeatures {
    public static final List<String> NAMES = List.of("regionalLogOdds", "popularityLogOdds", "friendsShare",
            "friendsOfFriendsShare", "friendsShareTimesLogFriends", "friendsOfFriendsShareTimesLogCount",
            "friendsByDegreeShare", "friendsByDegreeSum", "friendsBeyondRegion", "friendsBeyondRegionTimesLogFriends",
            "hasVisibleFriends", "logVisibleFriends", "friendsShareTimesRegionalLogOdds", "kriged");
    public static final int WIDTH = NAMES.size();
    /** Where the kriged likes are among the features (and the head's weights). */
    public static final int KRIGED = NAMES.indexOf("kriged");

    private ArtistPairFeatures() {
    }

    /** One user's signals, read once; {@link #fill} turns them into an artist's features. */
    public static User of(ArtistSignals s, int user) {
        ArtistSignals.Shares friends = s.friendsCounted(user);
        ArtistSignals.Shares twoHops = s.friendsOfFriendsCounted(user);
        ArtistSignals.Weighted byDegree = s.friendsByDegree(user);
        return new User(s.regional(user), s.regionalLogOdds(user), s.popularityLogOdds(), friends.shares(),
                Math.log1p(friends.users()), twoHops.shares(), Math.log1p(twoHops.users()), byDegree.sums(),
                byDegree.weight(), s.friendsRegional(user), s.kriged(user));
    }

    /** One user's inputs to {@link #fill}: [artists] each, and the user's counts. */
    public record User(float[] regional, float[] regionalLogOdds, float[] popularityLogOdds, float[] friends,
                       double logFriends, float[] twoHops, double logTwoHops, float[] byDegree, double byDegreeWeight,
                       float[] friendsRegional, float[] kriged) {

        /** Writes the artist's {@link #WIDTH} features into {@code out} from {@code offset}. */
        public void fill(int artist, float[] out, int offset) {
            double regionalOdds = regionalLogOdds[artist];
            double fs = friends[artist];
            double beyond = fs - friendsRegional[artist];
            out[offset] = (float) regionalOdds;
            out[offset + 1] = popularityLogOdds[artist];
            out[offset + 2] = (float) fs;
            out[offset + 3] = twoHops[artist];
            out[offset + 4] = (float) (fs * logFriends);
            out[offset + 5] = (float) (twoHops[artist] * logTwoHops);
            out[offset + 6] = (float) (byDegreeWeight > 0 ? byDegree[artist] / byDegreeWeight : 0);
            out[offset + 7] = byDegree[artist];
            out[offset + 8] = (float) beyond;
            out[offset + 9] = (float) (beyond * logFriends);
            out[offset + 10] = logFriends > 0 ? 1 : 0;
            out[offset + 11] = (float) logFriends;
            out[offset + 12] = (float) (fs * regionalOdds);
            out[offset + KRIGED] = kriged[artist];
        }

        /**
         * Every artist's logit under a head ({@link #WIDTH} weights, then the intercept). Each logit is one chain
         * of additions in a fixed order (its value must not depend on how it is computed); two artists' chains are
         * interleaved so that the processor adds along both at once: half the time of one chain after another
         * (BENCHMARKS.md, "The artist head's logits, two artists at a time"), the same bits.
         */
        public float[] logits(float[] head) {
            int artists = regional.length;
            float[] out = new float[artists];
            float[] x = new float[2 * WIDTH];
            int a = 0;
            for (; a + 1 < artists; a += 2) {
                fill(a, x, 0);
                fill(a + 1, x, WIDTH);
                double first = head[WIDTH];
                double second = head[WIDTH];
                for (int j = 0; j < WIDTH; j++) {
                    first += head[j] * x[j];
                    second += head[j] * x[WIDTH + j];
                }
                out[a] = (float) first;
                out[a + 1] = (float) second;
            }
            if (a < artists) {
                fill(a, x, 0);
                double z = head[WIDTH];
                for (int j = 0; j < WIDTH; j++) {
                    z += head[j] * x[j];
                }
                out[a] = (float) z;
            }
            return out;
        }
    }
}

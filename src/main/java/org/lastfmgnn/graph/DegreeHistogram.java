package org.lastfmgnn.graph;

import java.util.Arrays;

/**
 * How many users have each number of friends: what a memory estimate needs to know about a graph to size a
 * neighbour-sampled subgraph ({@link ComputationSubgraph#sampled}) without drawing one. A user reached along a
 * friendship is {@code d} times as likely to have degree {@code d} as a user drawn at random (the size-biased
 * distribution), so the users of a sampled subgraph's outer hops keep more friendships than the average user.
 *
 * @param usersWithDegree {@code usersWithDegree[d]}: the number of users with {@code d} friends
 */
public record DegreeHistogram(long[] usersWithDegree) {
    public DegreeHistogram {
        usersWithDegree = usersWithDegree.clone();
    }

    public static DegreeHistogram of(GraphSnapshot g) {
        int max = 0;
        for (int u = 0; u < g.userCount(); u++) {
            max = Math.max(max, g.degree(u));
        }
        long[] counts = new long[max + 1];
        for (int u = 0; u < g.userCount(); u++) {
            counts[g.degree(u)]++;
        }
        return new DegreeHistogram(counts);
    }

    /**
     * What the counts alone tell: every user with the average degree (split between the two nearest integers so
     * that the mean is exact). It knows no hubs, so it expects fewer repeats among sampled users than a real graph
     * has.
     */
    public static DegreeHistogram regular(long users, long friendships) {
        if (users <= 0) {
            return new DegreeHistogram(new long[] {0});
        }
        double mean = 2.0 * friendships / users;
        int low = (int) Math.floor(mean);
        long high = Math.round((mean - low) * users);
        long[] counts = new long[low + 2];
        counts[low] = users - high;
        counts[low + 1] = high;
        return new DegreeHistogram(counts);
    }

    public long userCount() {
        return Arrays.stream(usersWithDegree).sum();
    }

    /** Friendships counted in both directions (the sum of the degrees). */
    public long directedFriendships() {
        long sum = 0;
        for (int d = 0; d < usersWithDegree.length; d++) {
            sum += d * usersWithDegree[d];
        }
        return sum;
    }

    /**
     * Friendships a user keeps with this fanout ({@link ComputationSubgraph#ALL}: all), on average over users
     * drawn at random ({@code alongFriendship} false) or reached along a friendship (true, size-biased).
     */
    public double meanKept(int fanout, boolean alongFriendship) {
        return weightedMean(fanout, alongFriendship, false);
    }

    /**
     * As {@link #meanKept} for users reached along a friendship, less the expected share of the kept friendships
     * that lead back the way the user was reached: {@code min(f, d) (d - 1) / d}, size-biased.
     */
    public double meanKeptOnward(int fanout) {
        return weightedMean(fanout, true, true);
    }

    private double weightedMean(int fanout, boolean sizeBiased, boolean onward) {
        double sum = 0;
        double weight = 0;
        for (int d = 0; d < usersWithDegree.length; d++) {
            double w = usersWithDegree[d] * (sizeBiased ? (double) d : 1.0);
            double kept = fanout == ComputationSubgraph.ALL ? d : Math.min(fanout, d);
            sum += w * (onward && d > 0 ? kept * (d - 1) / d : kept);
            weight += w;
        }
        return weight == 0 ? 0 : sum / weight;
    }

    /**
     * Distinct users hit by {@code draws} friendship endpoints drawn independently, each user with probability
     * proportional to its degree: {@code sum_v 1 - exp(-draws d_v / sum d)}. Clustering (friends of one user being
     * friends of each other) makes real samples repeat more, so this is an upper bound in practice.
     */
    public double distinctHit(double draws) {
        double total = directedFriendships();
        if (total == 0) {
            return 0;
        }
        double hit = 0;
        for (int d = 1; d < usersWithDegree.length; d++) {
            hit += usersWithDegree[d] * -Math.expm1(-draws * d / total);
        }
        return hit;
    }
}

package org.lastfmgnn.recommend;

import java.util.LinkedHashMap;
import java.util.Map;

/** Precision, recall and NDCG at 10 and 20, summed over users and averaged on demand. */
public final class RankingReport {
    private static final int[] KS = {10, 20};
    private final double[] precision = new double[KS.length];
    private final double[] recall = new double[KS.length];
    private final double[] ndcg = new double[KS.length];
    private long users;

    /** Adds one user's ranking (at least 20 items long) against its relevant items. */
    public void add(int[] ranked, int[] relevant) {
        for (int i = 0; i < KS.length; i++) {
            precision[i] += Ranking.precision(ranked, relevant, KS[i]);
            recall[i] += Ranking.recall(ranked, relevant, KS[i]);
            ndcg[i] += Ranking.ndcg(ranked, relevant, KS[i]);
        }
        users++;
    }

    public void addAll(RankingReport other) {
        for (int i = 0; i < KS.length; i++) {
            precision[i] += other.precision[i];
            recall[i] += other.recall[i];
            ndcg[i] += other.ndcg[i];
        }
        users += other.users;
    }

    public double ndcgAt20() {
        return users == 0 ? 0 : ndcg[1] / users;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = KS.length - 1; i >= 0; i--) {
            m.put("ndcgAt" + KS[i], users == 0 ? 0 : ndcg[i] / users);
            m.put("recallAt" + KS[i], users == 0 ? 0 : recall[i] / users);
            m.put("precisionAt" + KS[i], users == 0 ? 0 : precision[i] / users);
        }
        m.put("users", users);
        return m;
    }
}

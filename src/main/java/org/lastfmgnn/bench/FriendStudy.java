package org.lastfmgnn.bench;

import ai.djl.Device;
import java.nio.file.Path;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.training.FriendEvaluation;

/**
 * The friend evaluation of {@code lastfm.recommend.friends.evaluate} without a database, on the real friendships.
 * <p>Arguments: data folder, seeds (comma-separated), holdout share.
 */
public final class FriendStudy {
    private FriendStudy() {
    }

    public static void main(String[] args) throws Exception {
        GraphSnapshot g = Snapshots.of(DatasetReader.read(Path.of(args[0]), null, FeatureSource.NONE));
        double holdout = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
        for (String s : args[1].split(",")) {
            long seed = Long.parseLong(s.trim());
            try (ProgressTracker progress = ProgressTracker.start("friends seed " + seed, 1, System.err::println)) {
                FriendEvaluation.Result r = FriendEvaluation.run(g, holdout, seed, Device.cpu(), progress);
                r.scores().forEach((kind, methods) -> methods.forEach((method, sc) -> System.out.printf(
                        "seed %d %s %s auc %.4f hits@10 %.4f mrr %.4f%n", seed, kind, method, sc.auc(), sc.hitsAt10(), sc.mrr())));
                System.out.printf("seed %d hidden %d (two-hop candidates %d), two-hop negatives per friendship %.1f, "
                        + "learned epochs %d%n", seed, r.hiddenFriendships(), r.candidates(), r.twoHopNegatives(), r.learnedEpochs());
            }
        }
        System.exit(0);
    }
}

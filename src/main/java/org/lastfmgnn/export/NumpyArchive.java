package org.lastfmgnn.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.training.Evaluation;
import org.lastfmgnn.training.Folds;

/**
 * The (sub)graph, its labels and the evaluation's rounds as a NumPy {@code .npz} archive: the exchange format that
 * PyTorch Geometric and DGL read directly ({@code numpy.load}, then {@code torch.from_numpy}), so that a model can
 * be trained where Neo4j's machine is not enough, on exactly the users and rounds {@code lastfm.gnn.train} uses.
 * Written with DJL's own NPZ encoder. Arrays (N users, E friendships, R rounds, A artists, L likes):
 * <ul>
 *   <li>{@code format_version} int64 [1]: {@value #FORMAT_VERSION}</li>
 *   <li>{@code user_id} int64 [N]: the users' ids, in row order</li>
 *   <li>{@code edge_index} int64 [2, 2E]: each friendship in both directions (PyG's convention for undirected)</li>
 *   <li>{@code y} int64 [N]: the region, -1 where unknown</li>
 *   <li>{@code train_mask}, {@code val_mask}, {@code test_mask} bool [N, R]: in round r, the users whose labels the
 *       model learns from, the ones that choose (epoch, grid point), the ones it is tested on: the rounds
 *       {@code lastfm.gnn.train} runs for the same {@code folds} or {@code split} and {@code randomSeed}
 *       (PyG's layout for several splits, as in its WikiCS dataset)</li>
 *   <li>with likes: {@code artist_id} int64 [A] and {@code like_index} int64 [2, L] (user row, artist column)</li>
 * </ul>
 * A round's test users' labels are in {@code y}: whoever trains on the file masks them, as we do.
 */
public final class NumpyArchive {
    public static final int FORMAT_VERSION = 1;

    /** What was written. */
    public record Written(Path file, long bytes, int users, long friendships, long likes, int rounds, List<String> arrays) {
    }

    private NumpyArchive() {
    }

    /**
     * Writes the archive to {@code file} all at once: into a temporary file beside it, then moved over it, so a
     * reader (or a crash) never sees half an archive, and a failure leaves an older file as it was.
     */
    public static Written write(GraphSnapshot g, Evaluation evaluation, long seed, boolean withLikes, Path file)
            throws IOException {
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".partial");
        try (NDManager manager = Engines.newCpuManager()) {
            NDList arrays = arrays(manager, g, evaluation, seed, withLikes);
            try (OutputStream out = Files.newOutputStream(temporary)) {
                arrays.encode(out, NDList.Encoding.NPZ);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            List<String> names = new ArrayList<>();
            arrays.forEach(a -> names.add(a.getName()));
            long likes = withLikes ? g.likes().length : 0;
            return new Written(file, Files.size(file), g.userCount(), g.friendshipCount(), likes, evaluation.rounds(), names);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static NDList arrays(NDManager m, GraphSnapshot g, Evaluation evaluation, long seed, boolean withLikes) {
        int n = g.userCount();
        NDList out = new NDList();
        out.add(named(m.create(new long[] {FORMAT_VERSION}), "format_version"));
        out.add(named(m.create(g.userIds()), "user_id"));
        long[] edges = new long[2 * g.friends().length];
        int e = 0;
        for (int u = 0; u < n; u++) {
            for (int k = g.friendOffsets()[u]; k < g.friendOffsets()[u + 1]; k++) {
                edges[e] = u;
                edges[g.friends().length + e] = g.friends()[k];
                e++;
            }
        }
        out.add(named(m.create(edges, new Shape(2, g.friends().length)), "edge_index"));
        long[] y = new long[n];
        for (int u = 0; u < n; u++) {
            y[u] = g.regions()[u];
        }
        out.add(named(m.create(y), "y"));
        int rounds = evaluation.rounds();
        boolean[][] masks = new boolean[3][n * rounds];
        int[] foldOf = evaluation.foldOf(g.regions(), seed);
        for (int r = 0; r < rounds; r++) {
            Folds.Split split = evaluation.round(g.regions(), foldOf, r, seed);
            int[][] members = {split.fit(), split.validation(), split.test()};
            for (int kind = 0; kind < 3; kind++) {
                for (int u : members[kind]) {
                    masks[kind][u * rounds + r] = true;
                }
            }
        }
        String[] names = {"train_mask", "val_mask", "test_mask"};
        for (int kind = 0; kind < 3; kind++) {
            out.add(named(m.create(masks[kind], new Shape(n, rounds)), names[kind]));
        }
        if (withLikes && g.likes().length > 0) {
            long[] artists = new long[g.artistIds().length];
            for (int a = 0; a < artists.length; a++) {
                artists[a] = g.artistIds()[a];
            }
            out.add(named(m.create(artists), "artist_id"));
            long[] likes = new long[2 * g.likes().length];
            for (int u = 0; u < n; u++) {
                for (int k = g.likeOffsets()[u]; k < g.likeOffsets()[u + 1]; k++) {
                    likes[k] = u;
                    likes[g.likes().length + k] = g.likes()[k];
                }
            }
            out.add(named(m.create(likes, new Shape(2, g.likes().length)), "like_index"));
        }
        return out;
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }
}

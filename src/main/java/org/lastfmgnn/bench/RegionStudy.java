package org.lastfmgnn.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.lastfmgnn.dataset.DatasetReader;
import org.lastfmgnn.dataset.FeatureSource;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.Snapshots;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.training.CrossValidation;
import org.lastfmgnn.training.Metrics;
import org.lastfmgnn.training.RegionInputs;
import org.lastfmgnn.training.RegionTraining;
import org.lastfmgnn.training.TrainConfig;

/**
 * Region models side by side over several fold seeds, on the friendships and regions alone (no database: the
 * same training code {@code lastfm.gnn.train} runs, on a snapshot read from the files). One run per seed trains
 * the configured model and every baseline on the same rounds; the table has each one's mean, spread and rounds,
 * and how often the model is above each baseline.
 * <p>Arguments: data folder, seeds (comma-separated), then the train config as JSON (e.g. {"model": "auto"}).
 */
public final class RegionStudy {
    /** One method's accuracy over the rounds of one seed. */
    public record Line(String method, long seed, double[] accuracies) {
        public double mean() {
            return Metrics.mean(accuracies);
        }
    }

    private RegionStudy() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        List<Long> seeds = new ArrayList<>();
        for (String s : args[1].split(",")) {
            seeds.add(Long.parseLong(s.trim()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = args.length > 2 ? new ObjectMapper().readValue(args[2], Map.class) : Map.of();
        GraphSnapshot graph = Snapshots.of(DatasetReader.read(data, null, FeatureSource.NONE));
        List<Line> lines = run(graph, config, seeds, System.err::println);
        System.out.println(table(lines));
        System.exit(0);
    }

    /** Trains {@code config} (its model and every baseline) once per seed. */
    public static List<Line> run(GraphSnapshot graph, Map<String, Object> config, List<Long> seeds, Consumer<String> log) {
        List<Line> lines = new ArrayList<>();
        for (long seed : seeds) {
            Map<String, Object> c = new LinkedHashMap<>(config);
            c.put("randomSeed", seed);
            TrainConfig parsed = TrainConfig.parse(c);
            RegionInputs inputs = new RegionInputs(graph, RegionTraining.inputs(parsed, graph), graph.classCount());
            CrossValidation.Result r;
            try (NDManager manager = Engines.newManager(parsed.tensorDevice());
                 ProgressTracker progress = ProgressTracker.start("study seed " + seed, parsed.rounds(), log)) {
                r = new CrossValidation(graph, inputs, parsed.plans(), CrossValidation.baselinePlans(parsed.model(), true, true),
                        parsed.evaluation(), parsed.sampling(), seed, progress).run(manager);
            }
            lines.add(new Line(parsed.model(), seed, r.accuracies()));
            r.baselineAccuracies().forEach((name, acc) -> lines.add(new Line(name, seed, acc)));
            for (CrossValidation.Round round : r.rounds()) {
                log.accept("seed " + seed + " round " + round.round() + " chose " + round.chosen().toMap());
            }
        }
        return lines;
    }

    /** Markdown: per method, per seed mean and the mean (and spread) of the seed means; wins against the model. */
    public static String table(List<Line> lines) {
        Map<String, List<Line>> byMethod = new LinkedHashMap<>();
        for (Line l : lines) {
            byMethod.computeIfAbsent(l.method(), k -> new ArrayList<>()).add(l);
        }
        List<Line> model = byMethod.values().iterator().next();
        StringBuilder out = new StringBuilder("| method | " + String.join(" | ", model.stream()
                .map(l -> "seed " + l.seed()).toList()) + " | mean of seeds (std) | rounds where the model is higher |\n");
        out.append("|---".repeat(model.size() + 3)).append("|\n");
        for (var e : byMethod.entrySet()) {
            double[] means = e.getValue().stream().mapToDouble(Line::mean).toArray();
            int higher = 0;
            int rounds = 0;
            for (int s = 0; s < e.getValue().size(); s++) {
                double[] theirs = e.getValue().get(s).accuracies();
                double[] ours = model.get(s).accuracies();
                for (int i = 0; i < ours.length; i++) {
                    higher += ours[i] > theirs[i] ? 1 : 0;
                    rounds++;
                }
            }
            out.append("| ").append(e.getKey()).append(" | ");
            for (double m : means) {
                out.append(String.format(Locale.ROOT, "%.4f | ", m));
            }
            out.append(String.format(Locale.ROOT, "%.4f (%.4f) | %s |%n", Metrics.mean(means), Metrics.std(means),
                    e.getValue() == model ? "" : higher + "/" + rounds));
        }
        return out.toString();
    }
}

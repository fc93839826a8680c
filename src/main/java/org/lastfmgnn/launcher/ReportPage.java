package org.lastfmgnn.launcher;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;

/**
 * {@code report.html}: the report's numbers as pictures (JFreeChart charts as PNG files in {@code charts/}), so
 * that people look rather than read tables. The page counts the pictures that loaded in
 * {@code body[data-images-loaded]}, which the end-to-end test reads from headless Chromium.
 */
final class ReportPage {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;

    private final Path outDir;
    private final List<String> sections = new ArrayList<>();

    ReportPage(Path outDir) {
        this.outDir = outDir;
    }

    /** Grouped bars: accuracy per fold of the model and of each baseline measured on the same folds. */
    @SuppressWarnings("unchecked")
    void foldAccuracies(Map<String, Object> region) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Number> model = (List<Number>) region.get("foldAccuracies");
        add(data, String.valueOf(region.get("model")).toUpperCase(Locale.ROOT), model);
        ((Map<String, Object>) region.get("baselines")).forEach((name, b) -> {
            // the baselines without any label (majority class, the plain MLP) score about 0.2: off this scale
            if (((Number) ((Map<String, Object>) b).get("accuracyMean")).doubleValue() > 0.5) {
                add(data, name, (List<Number>) ((Map<String, Object>) b).get("foldAccuracies"));
            }
        });
        JFreeChart chart = ChartFactory.createBarChart("Region accuracy per fold (held-out users)", "fold", "accuracy", data);
        ((CategoryPlot) chart.getPlot()).getRangeAxis().setRange(0.80, 0.92);
        picture("fold-accuracy.png", chart, "Cross-validated region accuracy of the model and the baselines, fold by fold. "
                + String.format(Locale.ROOT, "Mean %.4f.", ((Number) region.get("accuracyMean")).doubleValue()));
    }

    /** Horizontal bars of importance, for one user's explanation or the global one. */
    void importanceBars(String file, String title, List<Map<String, Object>> rows, String nameKey, String caption)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map<String, Object> row : rows) {
            data.addValue(((Number) row.get("importance")).doubleValue(), "importance", String.valueOf(row.get(nameKey)));
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "", "importance (mask value)", data,
                PlotOrientation.HORIZONTAL, false, false, false);
        picture(file, chart, caption);
    }

    void attentionHistogram(double[] values) throws IOException {
        HistogramDataset data = new HistogramDataset();
        data.addSeries("attention", values, 40, 0, 1);
        JFreeChart chart = ChartFactory.createHistogram("GAT attention on friendship messages", "attention weight",
                "messages", data);
        picture("attention-histogram.png", chart, "Attention of every friendship message, both directions ("
                + values.length + " messages): most friends get a share well below one half.");
    }

    /** Model against baselines on NDCG@20 and precision@20 (synthetic likes unless the real file was loaded). */
    @SuppressWarnings("unchecked")
    void artistBars(Map<String, Object> artists) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String metric : List.of("ndcgAt20", "precisionAt20")) {
            data.addValue(((Number) artists.get(metric)).doubleValue(), "model", metric);
            ((Map<String, Object>) artists.get("baselines")).forEach((name, b) ->
                    data.addValue(((Number) ((Map<String, Object>) b).get(metric)).doubleValue(), name, metric));
        }
        String source = String.valueOf(artists.get("featureSource")).toUpperCase(Locale.ROOT);
        JFreeChart chart = ChartFactory.createBarChart("Artist recommendation (" + source + " likes)", "", "", data);
        ((CategoryPlot) chart.getPlot()).getRangeAxis().setRange(0.4, 0.6);
        picture("artists.png", chart, "Held-out users' likes ranked by the model and by the baselines. Measured on "
                + source + " likes.");
    }

    /**
     * The explanation subgraph: the explained user in the middle, the top message edges drawn with width and
     * colour by importance, along the direction messages flow.
     */
    void explanationGraph(long user, String method, List<Map<String, Object>> edges) throws IOException {
        double max = edges.stream().mapToDouble(e -> Math.abs(((Number) e.get("importance")).doubleValue())).max().orElse(1);
        BufferedImage image = new BufferedImage(WIDTH, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, 600);
        Map<Long, double[]> position = new LinkedHashMap<>();
        position.put(user, new double[] {WIDTH / 2.0, 300});
        List<Long> others = new ArrayList<>();
        for (Map<String, Object> e : edges) {
            for (String end : List.of("source", "target")) {
                long id = ((Number) e.get(end)).longValue();
                if (!position.containsKey(id) && !others.contains(id)) {
                    others.add(id);
                }
            }
        }
        for (int i = 0; i < others.size(); i++) {
            double angle = 2 * Math.PI * i / Math.max(1, others.size());
            double radius = 230;
            position.put(others.get(i), new double[] {WIDTH / 2.0 + radius * Math.cos(angle), 300 + radius * Math.sin(angle)});
        }
        for (Map<String, Object> e : edges) {
            double importance = max == 0 ? 0 : Math.abs(((Number) e.get("importance")).doubleValue()) / max;
            double[] s = position.get(((Number) e.get("source")).longValue());
            double[] t = position.get(((Number) e.get("target")).longValue());
            g.setStroke(new BasicStroke((float) (1 + 10 * importance), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(217, 83, 79, (int) (60 + 195 * importance)));
            g.draw(new Line2D.Double(s[0], s[1], t[0], t[1]));
            // an arrowhead two thirds of the way: the direction the message flows
            double mx = s[0] + (t[0] - s[0]) * 0.66;
            double my = s[1] + (t[1] - s[1]) * 0.66;
            double angle = Math.atan2(t[1] - s[1], t[0] - s[0]);
            g.fill(new java.awt.Polygon(
                    new int[] {(int) mx, (int) (mx - 14 * Math.cos(angle - 0.4)), (int) (mx - 14 * Math.cos(angle + 0.4))},
                    new int[] {(int) my, (int) (my - 14 * Math.sin(angle - 0.4)), (int) (my - 14 * Math.sin(angle + 0.4))}, 3));
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (Map.Entry<Long, double[]> node : position.entrySet()) {
            double[] p = node.getValue();
            g.setColor(node.getKey() == user ? new Color(242, 142, 43) : new Color(76, 142, 218));
            g.fill(new Ellipse2D.Double(p[0] - 18, p[1] - 18, 36, 36));
            g.setColor(Color.BLACK);
            g.drawString(String.valueOf(node.getKey()), (float) p[0] - 14, (float) p[1] + 32);
        }
        g.dispose();
        Path file = charts().resolve("explanation-" + user + ".png");
        ImageIO.write(image, "png", file.toFile());
        sections.add(figure("charts/" + file.getFileName(), "The explanation of user " + user + " (" + method + "): the "
                + edges.size() + " most important message edges (width and colour: importance relative to the top edge; "
                + "arrow: message direction)."));
    }

    /**
     * GraphFramEx's characterization score (and fid+) of each explainer across sparsity levels, on the same
     * users, from lastfm.explain.evaluate rows.
     */
    void fidelityCurves(List<Map<String, Object>> rows) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map<String, Object> r : rows) {
            data.addValue(((Number) r.get("characterization")).doubleValue(), r.get("method") + " characterization",
                    String.valueOf(r.get("sparsity")));
            data.addValue(((Number) r.get("fidelityPlus")).doubleValue(), r.get("method") + " fid+",
                    String.valueOf(r.get("sparsity")));
        }
        JFreeChart chart = ChartFactory.createLineChart("Explainer fidelity across sparsity (same users)", "edges removed",
                "score", data);
        picture("fidelity-curves.png", chart, "Fidelity as PyG's explain.metric and GraphFramEx define it: fid+ is the "
                + "share of users whose prediction changes when the explanation's edges are removed; characterization is "
                + "the harmonic mean of fid+ and 1 - fid-. Higher is better; random edges are the floor.");
    }

    void numbers(String title, Map<String, Object> values) {
        StringBuilder rows = new StringBuilder();
        values.forEach((k, v) -> rows.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(String.valueOf(v)))
                .append("</td></tr>"));
        sections.add("<h2>" + escape(title) + "</h2><table>" + rows + "</table>");
    }

    Path write() throws IOException {
        String html = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>lastfm-gnn report</title>
                <style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}
                figure{margin:1.5em 0}img{max-width:100%%;border:1px solid #ddd}figcaption{color:#555;font-size:.9em}
                table{border-collapse:collapse}th,td{padding:.2em .8em;text-align:left;border-bottom:1px solid #eee}</style>
                </head><body data-images-loaded="0" data-images-total="0">
                <h1>lastfm-gnn report</h1>
                %s
                <script>
                  function count() {
                    const images = Array.from(document.images);
                    document.body.dataset.imagesTotal = images.length;
                    document.body.dataset.imagesLoaded = images.filter(i => i.complete && i.naturalWidth > 0).length;
                  }
                  window.addEventListener('load', count);
                </script>
                </body></html>
                """.formatted(String.join("\n", sections));
        Path file = outDir.resolve("report.html");
        Files.writeString(file, html);
        return file;
    }

    private void picture(String name, JFreeChart chart, String caption) throws IOException {
        ChartUtils.saveChartAsPNG(charts().resolve(name).toFile(), chart, WIDTH, HEIGHT);
        sections.add(figure("charts/" + name, caption));
    }

    private Path charts() throws IOException {
        return Files.createDirectories(outDir.resolve("charts"));
    }

    private static String figure(String src, String caption) {
        return "<figure><img src=\"" + src + "\" alt=\"" + escape(caption) + "\"><figcaption>" + escape(caption)
                + "</figcaption></figure>";
    }

    private static void add(DefaultCategoryDataset data, String series, List<Number> values) {
        for (int f = 0; f < values.size(); f++) {
            data.addValue(values.get(f).doubleValue(), series, "fold " + (f + 1));
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

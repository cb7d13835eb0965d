package io.dirtylimit.bench.evidence;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts, rendered headless with JFreeChart. */
final class Charts {
    static final int WIDTH = 1100;
    static final int HEIGHT = 620;
    /** One colour per variant, in {@link Variant#ALL} order; the limit line is black and dashed. */
    static final Map<String, Color> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("model", new Color(0x1f77b4));
        COLOURS.put("pi", new Color(0x2ca02c));
        COLOURS.put("linear", new Color(0x9467bd));
        COLOURS.put("qemu", new Color(0xd62728));
        COLOURS.put("v9", new Color(0xff7f0e));
        COLOURS.put("model-q0", new Color(0x17becf));
    }

    private Charts() {}

    /** Dirty rate over time per variant, with the limit line, log-scaled when the limit is small. */
    static void rateChart(Path file, String title, String subtitle, EvidenceScenario scenario,
            Map<String, List<Sample>> byVariant) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int i = 0;
        double maxT = 0;
        for (Map.Entry<String, List<Sample>> e : byVariant.entrySet()) {
            XYSeries series = new XYSeries(e.getKey());
            for (Sample s : e.getValue()) {
                series.add(s.tSeconds(), s.rateMBps());
                maxT = Math.max(maxT, s.tSeconds());
            }
            data.addSeries(series);
            renderer.setSeriesPaint(i, COLOURS.getOrDefault(e.getKey(), Color.GRAY));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShapesVisible(i, e.getValue().size() <= 40);
            i++;
        }
        XYSeries limit = new XYSeries("limit " + RealRuns.fmt(scenario.limitMBps()) + " MB/s");
        limit.add(0, scenario.limitMBps());
        limit.add(Math.max(maxT, 1), scenario.limitMBps());
        data.addSeries(limit);
        renderer.setSeriesPaint(i, Color.BLACK);
        renderer.setSeriesStroke(i, new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                new float[] {10f, 6f}, 0f));
        renderer.setSeriesShapesVisible(i, false);

        NumberAxis x = new NumberAxis("time since the limit was set (s)");
        boolean log = scenario.limitMBps() < 50;
        XYPlot plot;
        if (log) {
            LogAxis y = new LogAxis("dirty rate (MB/s, log scale; 0 drawn at 0.05)");
            y.setBase(10);
            y.setSmallestValue(0.05);
            y.setRange(0.05, 1000);
            y.setTickUnit(new NumberTickUnit(1)); // one tick per decade
            y.setNumberFormatOverride(new DecimalFormat("0.##"));
            y.setMinorTickMarksVisible(true);
            plot = new XYPlot(zeroToFloor(data), x, y, renderer);
        } else {
            NumberAxis y = new NumberAxis("dirty rate (MB/s)");
            y.setRange(0, 600);
            plot = new XYPlot(data, x, y, renderer);
        }
        style(plot);
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 18), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static XYSeriesCollection zeroToFloor(XYSeriesCollection in) {
        XYSeriesCollection out = new XYSeriesCollection();
        for (int s = 0; s < in.getSeriesCount(); s++) {
            XYSeries src = in.getSeries(s);
            XYSeries copy = new XYSeries(src.getKey());
            for (int k = 0; k < src.getItemCount(); k++) {
                copy.add(src.getX(k), Math.max(0.05, src.getY(k).doubleValue()));
            }
            out.addSeries(copy);
        }
        return out;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
    }

    /**
     * A grouped bar chart: one group per scenario, one bar per variant. Values above {@code cap}
     * are drawn at the cap (the subtitle says so); NaN (never) is drawn at {@code nanAs}.
     */
    static void barChart(Path file, String title, String subtitle, String valueLabel, List<String> scenarios,
            List<String> variants, Map<String, Map<String, Double>> values, double cap, double nanAs) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String scenario : scenarios) {
            for (String variant : variants) {
                Double v = values.getOrDefault(variant, Map.of()).get(scenario);
                if (v == null) {
                    continue;
                }
                double shown = Double.isNaN(v) ? nanAs : Math.min(v, cap);
                data.addValue(shown, variant, scenario);
            }
        }
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        for (String variant : variants) {
            if (data.getRowIndex(variant) >= 0) {
                renderer.setSeriesPaint(data.getRowIndex(variant), COLOURS.getOrDefault(variant, Color.GRAY));
            }
        }
        CategoryAxis x = new CategoryAxis("scenario");
        x.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        NumberAxis y = new NumberAxis(valueLabel);
        y.setUpperBound(cap * 1.05);
        y.setAutoRange(false);
        y.setRange(0, cap * 1.05);
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator());
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 18), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH + 200, HEIGHT);
    }
}

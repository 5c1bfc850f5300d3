package anteater.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of one series: on top the metrics (the few that vary most in the test part, at most 4), below the score
 * with the threshold, and the labelled anomalies as a shaded band in both.
 */
public final class Plotter {
    private static final int W = 1600, H = 420;

    private Plotter() {
    }

    public static void plot(Dataset d, Method.Result r, String method, Path png) throws IOException {
        int n = d.test().length;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        XYChart top = chart(d.name() + ": metrics (test part)", "value");
        int[] cols = mostVarying(d, 4);
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (int c : cols) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = d.test()[i][c];
                lo = Math.min(lo, y[i]);
                hi = Math.max(hi, y[i]);
            }
            line(top, d.metrics().get(c), x, y, null);
        }
        band(top, d.labels(), x, lo, hi);
        XYChart bottom = chart(method + " score, threshold and labelled anomalies", "score");
        double[] s = new double[n];
        double smax = 0;
        for (int i = 0; i < n; i++) {
            s[i] = Double.isFinite(r.score()[i]) ? r.score()[i] : 0;
            smax = Math.max(smax, s[i]);
        }
        double thr = r.threshold();
        double cap = Double.isFinite(thr) ? Math.max(thr * 3, 1e-9) : smax;
        for (int i = 0; i < n; i++) s[i] = Math.min(s[i], cap);
        line(bottom, "score (capped at 3x threshold)", x, s, Color.DARK_GRAY);
        if (Double.isFinite(thr)) line(bottom, "threshold", new double[] {0, n - 1}, new double[] {thr, thr}, Color.RED);
        band(bottom, d.labels(), x, 0, Math.min(cap, smax));
        BufferedImage img = new BufferedImage(W, 2 * H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        top.paint(g, W, H);
        g.translate(0, H);
        bottom.paint(g, W, H);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("test row").yAxisTitle(y).build();
        c.getStyler().setMarkerSize(0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    private static void line(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        if (color != null) s.setLineColor(color);
    }

    private static void band(XYChart c, int[] labels, double[] x, double lo, double hi) {
        List<Double> bx = new ArrayList<>(), by = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            bx.add(x[i]);
            by.add(labels[i] == 1 ? hi : lo);
        }
        XYSeries s = c.addSeries("labelled anomaly", bx, by);
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setFillColor(new Color(255, 150, 0, 60));
        s.setLineColor(new Color(255, 150, 0, 90));
    }

    private static int[] mostVarying(Dataset d, int k) {
        int dim = d.dims();
        double[] var = new double[dim];
        for (int j = 0; j < dim; j++) {
            double m = 0, m2 = 0;
            for (double[] r : d.test()) {
                m += r[j];
                m2 += r[j] * r[j];
            }
            m /= d.test().length;
            var[j] = m2 / d.test().length - m * m;
        }
        Integer[] order = new Integer[dim];
        for (int j = 0; j < dim; j++) order[j] = j;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(var[b], var[a]));
        int[] out = new int[Math.min(k, dim)];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }
}

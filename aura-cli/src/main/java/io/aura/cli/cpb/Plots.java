package io.aura.cli.cpb;

import io.aura.cascade.metrics.SizeReduction;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * PNG plots of the CPB report, drawn with java.awt in headless mode (no plotting dependency):
 * the cascade-size CCDF per arm and the Pareto plot of R_size against the availability cost ΔA.
 */
final class Plots {
    private static final int W = 960;
    private static final int H = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    /** Smallest cascade size on the CCDF's log axis. */
    static final double CCDF_MIN_S = 1e-3;

    private Plots() {
    }

    static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /**
     * Empirical CCDF P(S ≥ s) of each arm over s ∈ [0.001, 1] on a log axis, as step curves.
     *
     * @param names arm names
     * @param sizes per-arm cascade sizes
     * @param title the plot title
     * @param file output PNG
     */
    static void ccdf(List<String> names, List<double[]> sizes, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        double lx0 = Math.log10(CCDF_MIN_S);
        Frame f = new Frame(lx0, 0, 0, 1.0);
        f.grid(g, new double[] {-3, -2, -1, 0}, new String[] {"0.001", "0.01", "0.1", "1"},
                new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, null);
        // the spec's CCDF thresholds
        g.setColor(new Color(0xdddddd));
        g.setStroke(dashed());
        for (double s : new double[] {0.05, 0.2, 0.5}) {
            int x = f.px(Math.log10(s));
            g.drawLine(x, TOP, x, H - BOTTOM);
        }
        g.setStroke(new BasicStroke(2.2f));
        int steps = 600;
        for (int a = 0; a < names.size(); a++) {
            double[] s = sizes.get(a).clone();
            java.util.Arrays.sort(s);
            g.setColor(color(a));
            int prevX = -1;
            int prevY = -1;
            for (int k = 0; k <= steps; k++) {
                double lx = lx0 + (0 - lx0) * k / steps;
                double y = ccdfAt(s, Math.pow(10, lx));
                int px = f.px(lx);
                int py = f.py(y);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, prevY);
                    g.drawLine(px, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
        }
        f.labels(g, title, "cascade size s (fraction of agents outside F0, log scale)", "P(S \u2265 s)");
        List<String> entries = new ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            entries.add(String.format(Locale.ROOT, "%s  (n=%d, mean S=%.3f)", names.get(a), sizes.get(a).length, mean(sizes.get(a))));
        }
        legend(g, entries, W - RIGHT - 10, TOP + 10);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /**
     * One point per arm compared with b0: x = mean ΔA (availability cost, percentage points),
     * y = R_size with its two-sided 95% bootstrap interval; b0 itself at (0, 1); the Pareto front
     * (no other arm has both a lower cost and a higher R_size) is joined by a line.
     *
     * @param names arm names (not b0)
     * @param colors each arm's palette index (its position in the run, as in the CCDF plot)
     * @param costs mean ΔA per arm, as a fraction
     * @param r R_size estimates per arm
     * @param title the plot title
     * @param file output PNG
     */
    static void pareto(List<String> names, int[] colors, double[] costs, List<SizeReduction.Estimate> r, String title, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        double xMin = 0;
        double xMax = 0;
        double yMax = 1;
        for (int i = 0; i < names.size(); i++) {
            xMin = Math.min(xMin, costs[i] * 100);
            xMax = Math.max(xMax, costs[i] * 100);
            SizeReduction.Estimate e = r.get(i);
            if (e.status() == SizeReduction.Status.FINITE) {
                yMax = Math.max(yMax, Double.isFinite(e.upper()) ? e.upper() : e.point());
            }
        }
        double xPad = Math.max(0.05, (xMax - xMin) * 0.12);
        xMin -= xPad;
        xMax += xPad;
        yMax = niceCeil(yMax * 1.15);
        double yInf = yMax; // infinite ratios are drawn on the top edge
        Frame f = new Frame(xMin, 0, xMax, yMax);
        double[] xt = ticks(xMin, xMax);
        String[] xl = new String[xt.length];
        for (int i = 0; i < xt.length; i++) {
            xl[i] = fmt(xt[i]);
        }
        double[] yt = ticks(0, yMax);
        f.grid(g, xt, xl, yt, null);
        g.setColor(new Color(0x999999));
        g.setStroke(dashed());
        g.drawLine(f.px(xMin), f.py(1), f.px(xMax), f.py(1));
        g.drawLine(f.px(0), TOP, f.px(0), H - BOTTOM);
        // Pareto front over b0 and the arms with a defined ratio
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[] {0, 1});
        for (int i = 0; i < names.size(); i++) {
            SizeReduction.Estimate e = r.get(i);
            if (e.status() != SizeReduction.Status.UNDEFINED) {
                pts.add(new double[] {costs[i] * 100, e.status() == SizeReduction.Status.INFINITE ? yInf : e.point()});
            }
        }
        pts.sort((p, q) -> p[0] != q[0] ? Double.compare(p[0], q[0]) : Double.compare(q[1], p[1]));
        List<double[]> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (double[] p : pts) {
            if (p[1] > best) {
                front.add(p);
                best = p[1];
            }
        }
        g.setColor(new Color(0x555555));
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 1; i < front.size(); i++) {
            g.drawLine(f.px(front.get(i - 1)[0]), f.py(front.get(i - 1)[1]), f.px(front.get(i)[0]), f.py(front.get(i - 1)[1]));
            g.drawLine(f.px(front.get(i)[0]), f.py(front.get(i - 1)[1]), f.px(front.get(i)[0]), f.py(front.get(i)[1]));
        }
        List<String> entries = new ArrayList<>();
        entries.add("b0 (reference: R_size = 1, \u0394A = 0)");
        marker(g, f.px(0), f.py(1), Color.BLACK, "b0");
        for (int i = 0; i < names.size(); i++) {
            SizeReduction.Estimate e = r.get(i);
            Color c = color(colors[i]);
            double x = costs[i] * 100;
            if (e.status() == SizeReduction.Status.UNDEFINED) {
                entries.add(names.get(i) + ": R_size undefined (no cascades in either arm)");
                continue;
            }
            boolean inf = e.status() == SizeReduction.Status.INFINITE;
            double y = inf ? yInf : e.point();
            if (!inf && Double.isFinite(e.lower())) {
                g.setColor(c);
                g.setStroke(new BasicStroke(1.5f));
                double hi = Double.isFinite(e.upper()) ? Math.min(e.upper(), yMax) : yMax;
                g.drawLine(f.px(x), f.py(e.lower()), f.px(x), f.py(hi));
                g.drawLine(f.px(x) - 5, f.py(e.lower()), f.px(x) + 5, f.py(e.lower()));
                g.drawLine(f.px(x) - 5, f.py(hi), f.px(x) + 5, f.py(hi));
            }
            marker(g, f.px(x), f.py(y), c, names.get(i) + (inf ? " (\u221e)" : ""));
            entries.add(String.format(Locale.ROOT, "%s: R_size=%s, \u0394A=%+.3f pp", names.get(i),
                    inf ? "\u221e" : fmt(e.point()), x));
        }
        f.labels(g, title, "availability cost \u0394A = A_b0 \u2212 A_arm (percentage points; right = more availability lost)",
                "R_size vs b0 = E[S_b0] / E[S_arm]");
        int[] legendColors = new int[entries.size()];
        for (int i = 1; i < legendColors.length; i++) {
            legendColors[i] = colors[i - 1];
        }
        legend(g, entries, W - RIGHT - 10, TOP + 10, legendColors);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    static double ccdfAt(double[] sorted, double s) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length == 0 ? 0 : (double) (sorted.length - lo) / sorted.length;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    /** 1, 2, 5 × 10^k at or above v. */
    static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** About six round tick values in [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        double step = niceCeil((hi - lo) / 6);
        double start = Math.ceil(lo / step - 1e-9) * step;
        List<Double> t = new ArrayList<>();
        for (double v = start; v <= hi + 1e-9 * step; v += step) {
            t.add(Math.abs(v) < 1e-12 * step ? 0 : v);
        }
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i);
        }
        return out;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.3g", v);
        return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return g;
    }

    private static Stroke dashed() {
        return new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 5f}, 0f);
    }

    private static void marker(Graphics2D g, int x, int y, Color c, String label) {
        g.setColor(c);
        g.fillOval(x - 6, y - 6, 12, 12);
        g.setColor(Color.BLACK);
        g.drawOval(x - 6, y - 6, 12, 12);
        g.drawString(label, x + 9, y - 8);
    }

    private static void legend(Graphics2D g, List<String> entries, int right, int top) {
        legend(g, entries, right, top, null);
    }

    private static void legend(Graphics2D g, List<String> entries, int right, int top, int[] pointColors) {
        boolean pareto = pointColors != null;
        FontMetrics fm = g.getFontMetrics();
        int w = 0;
        for (String e : entries) {
            w = Math.max(w, fm.stringWidth(e));
        }
        int lh = fm.getHeight() + 2;
        int boxW = w + 40;
        int boxH = entries.size() * lh + 10;
        int x0 = right - boxW;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x0, top, boxW, boxH);
        g.setColor(new Color(0xaaaaaa));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x0, top, boxW, boxH);
        for (int i = 0; i < entries.size(); i++) {
            int y = top + 5 + i * lh + fm.getAscent();
            Color c = pareto ? (i == 0 ? Color.BLACK : color(pointColors[i])) : color(i);
            g.setColor(c);
            if (pareto) {
                g.fillOval(x0 + 10, y - fm.getAscent() / 2 - 5, 10, 10);
            } else {
                g.setStroke(new BasicStroke(3f));
                g.drawLine(x0 + 6, y - fm.getAscent() / 2 + 1, x0 + 28, y - fm.getAscent() / 2 + 1);
            }
            g.setColor(Color.BLACK);
            g.drawString(entries.get(i), x0 + 34, y);
        }
    }

    /** Data-to-pixel mapping of the plot area with axes, grid and labels. */
    private record Frame(double x0, double y0, double x1, double y1) {
        int px(double x) {
            return (int) Math.round(LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT));
        }

        int py(double y) {
            return (int) Math.round(H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM));
        }

        void grid(Graphics2D g, double[] xt, String[] xl, double[] yt, String[] yl) {
            FontMetrics fm = g.getFontMetrics();
            g.setStroke(new BasicStroke(1f));
            for (int i = 0; i < xt.length; i++) {
                int x = px(xt[i]);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(x, TOP, x, H - BOTTOM);
                g.setColor(Color.BLACK);
                g.drawLine(x, H - BOTTOM, x, H - BOTTOM + 5);
                String s = xl[i];
                g.drawString(s, x - fm.stringWidth(s) / 2, H - BOTTOM + 8 + fm.getAscent());
            }
            for (int i = 0; i < yt.length; i++) {
                int y = py(yt[i]);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(LEFT, y, W - RIGHT, y);
                g.setColor(Color.BLACK);
                g.drawLine(LEFT - 5, y, LEFT, y);
                String s = yl == null ? fmt(yt[i]) : yl[i];
                g.drawString(s, LEFT - 9 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        }

        void labels(Graphics2D g, String title, String xLabel, String yLabel) {
            g.setColor(Color.BLACK);
            Font base = g.getFont();
            g.setFont(base.deriveFont(Font.BOLD, 16f));
            FontMetrics tf = g.getFontMetrics();
            g.drawString(title, (W - tf.stringWidth(title)) / 2, TOP - 18);
            g.setFont(base);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(xLabel, LEFT + (W - LEFT - RIGHT - fm.stringWidth(xLabel)) / 2, H - 20);
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            r.drawString(yLabel, -(TOP + (H - TOP - BOTTOM + fm.stringWidth(yLabel)) / 2), 24);
            r.dispose();
        }
    }
}

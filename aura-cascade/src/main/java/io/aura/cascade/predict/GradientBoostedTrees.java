package io.aura.cascade.predict;

import io.aura.cascade.CascadeInputException;
import java.util.Arrays;
import java.util.List;

/**
 * Gradient-boosted regression trees for a binary label (logistic loss), fitted deterministically: no
 * sampling of rows or features, fixed tree count, so the model is a function of the data and the
 * {@link Params} alone (retraining on the same seeds gives the same bytes).
 *
 * <p>Fit: F₀ = log(p̄ / (1 − p̄)); for each of {@code trees} rounds, gradients g = σ(F) − y and Hessians
 * h = σ(F)(1 − σ(F)) of the log-loss, then one tree grown depth-first to at most {@code depth}
 * levels. Candidate splits of feature j are {@code x_j < t} for the t at the quantiles k/bins
 * (k = 1 … bins − 1) of the training column (sorted values at index ⌊k·n/bins⌋, duplicates merged). A
 * node splits on the candidate of largest gain {@code G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)} with at
 * least {@code minLeaf} rows on each side (first feature, then first threshold, wins a tie); it
 * becomes a leaf when no split has positive gain, at the depth limit, or with fewer than 2·minLeaf
 * rows. A leaf's value is the Newton step −G/(H+λ) times the learning rate (XGBoost's leaf weight,
 * Chen &amp; Guestrin 2016). P(y = 1 | x) = σ(F₀ + Σ_trees leaf(x)).
 *
 * <p>Missing values: a NaN feature fails every {@code x < t} test and so follows the right branch
 * (training data must be finite; live telemetry can carry NaN).
 */
public final class GradientBoostedTrees {
  /** Hyper-parameters of a fit. */
  public record Params(int trees, int depth, int minLeaf, double learningRate, double lambda, int bins) {
    public Params {
      if (trees < 1 || depth < 1 || depth > 16 || minLeaf < 1 || bins < 2 || bins > 4096) {
        throw new CascadeInputException("need trees >= 1, 1 <= depth <= 16, minLeaf >= 1, 2 <= bins <= 4096: " + trees + ", "
            + depth + ", " + minLeaf + ", " + bins);
      }
      // lambda > 0 keeps every leaf value -G/(H + lambda) finite, so every model can be written and read back
      if (!(learningRate > 0) || learningRate > 1 || !(lambda > 0) || Double.isInfinite(lambda)) {
        throw new CascadeInputException("need 0 < learningRate <= 1 and finite lambda > 0: " + learningRate + ", " + lambda);
      }
    }
  }

  /**
   * The shipped risk model's settings, chosen by 5-fold cross-validation by episode on the training
   * seeds (docs/predictor.md): 100 trees of depth 4, at least 40 rows per leaf, learning rate 0.05,
   * λ = 1, 32 quantile bins.
   */
  public static final Params DEFAULTS = new Params(100, 4, 40, 0.05, 1.0, 32);

  private GradientBoostedTrees() {}

  /**
   * A fitted ensemble. Trees are stored flat, in pre-order: node i's left child is i + 1, its right
   * child {@code right[i]}; {@code feature[i] = -1} marks a leaf, whose {@code value[i]} is its
   * contribution to the log-odds; a split's {@code value[i]} is its threshold.
   */
  public static final class Model implements RiskFit {
    private final int dimension;
    private final double base;
    private final int[] start;
    private final int[] feature;
    private final double[] value;
    private final int[] right;

    Model(int dimension, double base, int[] start, int[] feature, double[] value, int[] right) {
      this.dimension = dimension;
      this.base = base;
      this.start = start;
      this.feature = feature;
      this.value = value;
      this.right = right;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    /** Trees in the ensemble. */
    public int trees() {
      return start.length;
    }

    /** F₀, the log-odds before any tree. */
    public double base() {
      return base;
    }

    /** The log-odds σ⁻¹(P(y = 1 | x)). */
    public double logOdds(double[] x) {
      double s = base;
      for (int i0 : start) {
        int i = i0;
        while (feature[i] >= 0) {
          i = x[feature[i]] < value[i] ? i + 1 : right[i];
        }
        s += value[i];
      }
      return s;
    }

    @Override
    public double probability(double[] x) {
      return LogisticRegression.sigmoid(logOdds(x));
    }

    /**
     * Tree {@code t} as one line of tokens in pre-order: {@code F:T} for a split on feature F at
     * threshold T (left when x_F &lt; T), {@code =V} for a leaf of value V; numbers in
     * {@link Double#toString} form, so a round trip through {@link #parseTree} is exact.
     */
    public String treeText(int t) {
      StringBuilder sb = new StringBuilder();
      int end = t + 1 < start.length ? start[t + 1] : feature.length;
      for (int i = start[t]; i < end; i++) {
        if (i > start[t]) {
          sb.append(' ');
        }
        if (feature[i] < 0) {
          sb.append('=').append(value[i]);
        } else {
          sb.append(feature[i]).append(':').append(value[i]);
        }
      }
      return sb.toString();
    }

    /**
     * Parses trees written by {@link #treeText}.
     *
     * @throws CascadeInputException naming the tree and token at fault
     */
    public static Model parse(int dimension, double base, List<String> trees) {
      if (trees.isEmpty()) {
        throw new CascadeInputException("a tree ensemble needs at least one tree");
      }
      if (!Double.isFinite(base)) {
        throw new CascadeInputException("tree ensemble base log-odds is not finite: " + base);
      }
      Growth g = new Growth();
      int[] start = new int[trees.size()];
      for (int t = 0; t < trees.size(); t++) {
        start[t] = g.size;
        String[] tokens = trees.get(t).strip().split(" +");
        int[] pos = {0};
        parseNode(tokens, pos, g, dimension, t, 0);
        if (pos[0] != tokens.length) {
          throw new CascadeInputException("tree " + t + ": " + (tokens.length - pos[0]) + " tokens after the tree is complete");
        }
      }
      return g.model(dimension, base, start);
    }

    private static void parseNode(String[] tokens, int[] pos, Growth g, int dimension, int t, int depth) {
      if (pos[0] >= tokens.length) {
        throw new CascadeInputException("tree " + t + ": ends before every split has two children");
      }
      if (depth > 64) {
        throw new CascadeInputException("tree " + t + ": deeper than 64 levels");
      }
      String tok = tokens[pos[0]++];
      try {
        if (tok.startsWith("=")) {
          g.leaf(finite(Double.parseDouble(tok.substring(1))));
          return;
        }
        int colon = tok.indexOf(':');
        if (colon <= 0) {
          throw new NumberFormatException();
        }
        int f = Integer.parseInt(tok.substring(0, colon));
        double thr = finite(Double.parseDouble(tok.substring(colon + 1)));
        if (f < 0 || f >= dimension) {
          throw new CascadeInputException("tree " + t + ": split on feature " + f + ", the model has " + dimension);
        }
        int node = g.split(f, thr);
        parseNode(tokens, pos, g, dimension, t, depth + 1);
        g.right[node] = g.size;
        parseNode(tokens, pos, g, dimension, t, depth + 1);
      } catch (NumberFormatException e) {
        throw new CascadeInputException("tree " + t + ": token '" + tok + "' is neither FEATURE:THRESHOLD nor =VALUE with finite numbers");
      }
    }

    private static double finite(double v) {
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    }
  }

  /** Growable node arrays. */
  private static final class Growth {
    int size;
    int[] feature = new int[64];
    double[] value = new double[64];
    int[] right = new int[64];

    private int add(int f, double v) {
      if (size == feature.length) {
        feature = Arrays.copyOf(feature, size * 2);
        value = Arrays.copyOf(value, size * 2);
        right = Arrays.copyOf(right, size * 2);
      }
      feature[size] = f;
      value[size] = v;
      right[size] = -1;
      return size++;
    }

    int leaf(double v) {
      return add(-1, v);
    }

    int split(int f, double threshold) {
      return add(f, threshold);
    }

    Model model(int dimension, double base, int[] start) {
      return new Model(dimension, base, start, Arrays.copyOf(feature, size), Arrays.copyOf(value, size), Arrays.copyOf(right, size));
    }
  }

  /**
   * Fits the ensemble.
   *
   * @param x rows of features (all the same length ≥ 1, finite)
   * @param y labels, both classes present
   * @throws CascadeInputException on empty or ragged input, non-finite features, or a single class
   */
  public static Model fit(double[][] x, boolean[] y, Params p) {
    int pos = LogisticRegression.checkRows(x, y);
    int n = x.length;
    int d = x[0].length;
    double[][] thresholds = new double[d][];
    int[][] bin = new int[d][n];
    double[] column = new double[n];
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < n; i++) {
        column[i] = x[i][j];
      }
      thresholds[j] = thresholds(column, p.bins());
      for (int i = 0; i < n; i++) {
        bin[j][i] = binOf(thresholds[j], x[i][j]);
      }
    }
    double base = Math.log((double) pos / (n - pos));
    double[] f = new double[n];
    Arrays.fill(f, base);
    double[] g = new double[n];
    double[] h = new double[n];
    int[] idx = new int[n];
    int[] scratch = new int[n];
    Grower grower = new Grower(p, thresholds, bin, g, h, f, idx, scratch);
    int[] start = new int[p.trees()];
    for (int t = 0; t < p.trees(); t++) {
      for (int i = 0; i < n; i++) {
        double q = LogisticRegression.sigmoid(f[i]);
        g[i] = q - (y[i] ? 1 : 0);
        h[i] = q * (1 - q);
        idx[i] = i;
      }
      start[t] = grower.nodes.size;
      grower.grow(0, n, 0);
    }
    return grower.nodes.model(d, base, start);
  }

  /** Split candidates of one column: the values at the quantiles k/bins, ascending, duplicates and the minimum dropped. */
  static double[] thresholds(double[] column, int bins) {
    double[] sorted = column.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double[] out = new double[bins];
    int m = 0;
    double last = sorted[0];
    for (int k = 1; k < bins; k++) {
      double v = sorted[(int) ((long) k * n / bins)];
      if (v > last) {
        out[m++] = v;
        last = v;
      }
    }
    return Arrays.copyOf(out, m);
  }

  /** The number of thresholds ≤ v: v &lt; thresholds[k] exactly when binOf(v) ≤ k. */
  static int binOf(double[] thresholds, double v) {
    int lo = 0;
    int hi = thresholds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (thresholds[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Grows one tree over idx[from, to), adding each leaf's value to f of its rows. */
  private static final class Grower {
    final Params p;
    final double[][] thresholds;
    final int[][] bin;
    final double[] g;
    final double[] h;
    final double[] f;
    final int[] idx;
    final int[] scratch;
    final Growth nodes = new Growth();
    final double[] histG;
    final double[] histH;
    final int[] histN;

    Grower(Params p, double[][] thresholds, int[][] bin, double[] g, double[] h, double[] f, int[] idx, int[] scratch) {
      this.p = p;
      this.thresholds = thresholds;
      this.bin = bin;
      this.g = g;
      this.h = h;
      this.f = f;
      this.idx = idx;
      this.scratch = scratch;
      int most = 0;
      for (double[] t : thresholds) {
        most = Math.max(most, t.length + 1);
      }
      histG = new double[most];
      histH = new double[most];
      histN = new int[most];
    }

    void grow(int from, int to, int depth) {
      double sg = 0;
      double sh = 0;
      for (int k = from; k < to; k++) {
        sg += g[idx[k]];
        sh += h[idx[k]];
      }
      int rows = to - from;
      int bestJ = -1;
      int bestK = -1;
      if (depth < p.depth() && rows >= 2 * p.minLeaf()) {
        double parent = sg * sg / (sh + p.lambda());
        double bestGain = 0;
        for (int j = 0; j < thresholds.length; j++) {
          int nb = thresholds[j].length + 1;
          Arrays.fill(histG, 0, nb, 0);
          Arrays.fill(histH, 0, nb, 0);
          Arrays.fill(histN, 0, nb, 0);
          int[] bj = bin[j];
          for (int k = from; k < to; k++) {
            int i = idx[k];
            int b = bj[i];
            histG[b] += g[i];
            histH[b] += h[i];
            histN[b]++;
          }
          double gl = 0;
          double hl = 0;
          int nl = 0;
          for (int k = 0; k < nb - 1; k++) {
            gl += histG[k];
            hl += histH[k];
            nl += histN[k];
            if (nl < p.minLeaf() || rows - nl < p.minLeaf()) {
              continue;
            }
            double gr = sg - gl;
            double hr = sh - hl;
            double gain = gl * gl / (hl + p.lambda()) + gr * gr / (hr + p.lambda()) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              bestJ = j;
              bestK = k;
            }
          }
        }
      }
      if (bestJ < 0) {
        double v = p.learningRate() * (-sg / (sh + p.lambda()));
        nodes.leaf(v);
        for (int k = from; k < to; k++) {
          f[idx[k]] += v;
        }
        return;
      }
      // stable partition: rows with bin <= bestK (x < threshold) first
      int[] bj = bin[bestJ];
      int l = from;
      int r = 0;
      for (int k = from; k < to; k++) {
        int i = idx[k];
        if (bj[i] <= bestK) {
          idx[l++] = i;
        } else {
          scratch[r++] = i;
        }
      }
      System.arraycopy(scratch, 0, idx, l, r);
      int node = nodes.split(bestJ, thresholds[bestJ][bestK]);
      grow(from, l, depth + 1);
      nodes.right[node] = nodes.size;
      grow(l, to, depth + 1);
    }
  }
}

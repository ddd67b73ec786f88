package io.aura.cascade.predict;

import io.aura.cascade.CascadeInputException;

/**
 * L2-regularised logistic regression, fitted by Newton–Raphson (IRLS) with a fixed number of
 * iterations, so the fit is a deterministic function of the data (no random init, no early stop).
 *
 * <p>Model: {@code P(y=1|x) = σ(b + Σ_k w_k z_k)}, z = (x − mean)/scale per feature (scale = sample
 * standard deviation, 1 for constant features). Objective: negative log-likelihood + (λ/2)‖w‖² (the
 * bias only by {@value #BIAS_LAMBDA}). Each iteration solves {@code (XᵀWX + λI') Δ = Xᵀ(y − p) − λw'} by Gaussian
 * elimination with partial pivoting, then halves the step until the objective does not increase.
 */
public final class LogisticRegression {
  /** Newton iterations. */
  public static final int ITERATIONS = 30;
  /** Tiny ridge on the bias so the Newton system stays positive definite when one class dominates. */
  public static final double BIAS_LAMBDA = 1e-6;

  private LogisticRegression() {}

  /** A fitted model: standardisation and weights (bias first). */
  public record Fit(double[] mean, double[] scale, double[] weights) implements RiskFit {
    public Fit {
      if (mean.length != scale.length || weights.length != mean.length + 1) {
        throw new CascadeInputException("fit sizes disagree: mean " + mean.length + ", scale " + scale.length
            + ", weights " + weights.length + " (need features + 1)");
      }
      mean = mean.clone();
      scale = scale.clone();
      weights = weights.clone();
    }

    /** Features in the fit. */
    @Override
    public int dimension() {
      return mean.length;
    }

    /** P(y = 1 | x), in [0, 1]. Non-finite features are read as the training mean. */
    @Override
    public double probability(double[] x) {
      double s = weights[0];
      for (int k = 0; k < mean.length; k++) {
        double v = Double.isFinite(x[k]) ? x[k] : mean[k];
        s += weights[k + 1] * (v - mean[k]) / scale[k];
      }
      return sigmoid(s);
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    @Override
    public double[] scale() {
      return scale.clone();
    }

    @Override
    public double[] weights() {
      return weights.clone();
    }
  }

  /** σ(s) = 1/(1 + e^{−s}), computed without overflow. */
  public static double sigmoid(double s) {
    if (s >= 0) {
      return 1 / (1 + StrictMath.exp(-s));
    }
    double e = StrictMath.exp(s);
    return e / (1 + e);
  }

  /**
   * Checks a training set: as many rows as labels (at least one), rows of one length ≥ 1, finite
   * features, both classes present.
   *
   * @return the number of positive labels
   * @throws CascadeInputException naming what is wrong
   */
  static int checkRows(double[][] x, boolean[] y) {
    if (x.length == 0 || x.length != y.length) {
      throw new CascadeInputException("need as many rows as labels, at least one: rows " + x.length + ", labels " + y.length);
    }
    int d = x[0].length;
    int rows = x.length;
    int pos = 0;
    for (int r = 0; r < rows; r++) {
      if (x[r].length != d) {
        throw new CascadeInputException("row " + r + " has " + x[r].length + " features, expected " + d);
      }
      for (int k = 0; k < d; k++) {
        if (!Double.isFinite(x[r][k])) {
          throw new CascadeInputException("row " + r + " feature " + k + " is not finite: " + x[r][k]);
        }
      }
      if (y[r]) {
        pos++;
      }
    }
    if (pos == 0 || pos == rows) {
      throw new CascadeInputException("both classes are needed to fit; positives " + pos + " of " + rows);
    }
    return pos;
  }

  /**
   * Fits the model.
   *
   * @param x rows of features (all the same length ≥ 1, finite)
   * @param y labels
   * @param lambda L2 weight λ ≥ 0
   * @throws CascadeInputException on empty or ragged input, non-finite features, or a single class
   */
  public static Fit fit(double[][] x, boolean[] y, double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new CascadeInputException("lambda must be finite and >= 0: " + lambda);
    }
    int pos = checkRows(x, y);
    int d = x[0].length;
    int rows = x.length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int k = 0; k < d; k++) {
      double s = 0;
      for (double[] row : x) {
        s += row[k];
      }
      mean[k] = s / rows;
      double v = 0;
      for (double[] row : x) {
        v += (row[k] - mean[k]) * (row[k] - mean[k]);
      }
      double sd = Math.sqrt(v / Math.max(1, rows - 1));
      scale[k] = sd > 1e-12 ? sd : 1;
    }
    int p = d + 1;
    double[] w = new double[p];
    w[0] = Math.log((double) pos / (rows - pos));
    double[] z = new double[p];
    double[][] h = new double[p][p];
    double[] g = new double[p];
    for (int it = 0; it < ITERATIONS; it++) {
      for (double[] hr : h) {
        java.util.Arrays.fill(hr, 0);
      }
      java.util.Arrays.fill(g, 0);
      for (int r = 0; r < rows; r++) {
        z[0] = 1;
        for (int k = 0; k < d; k++) {
          z[k + 1] = (x[r][k] - mean[k]) / scale[k];
        }
        double s = 0;
        for (int k = 0; k < p; k++) {
          s += w[k] * z[k];
        }
        double pr = sigmoid(s);
        double wt = Math.max(pr * (1 - pr), 1e-12);
        double res = (y[r] ? 1 : 0) - pr;
        for (int a = 0; a < p; a++) {
          g[a] += res * z[a];
          double za = wt * z[a];
          for (int b = 0; b <= a; b++) {
            h[a][b] += za * z[b];
          }
        }
      }
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < a; b++) {
          h[b][a] = h[a][b];
        }
      }
      for (int a = 1; a < p; a++) {
        h[a][a] += lambda;
        g[a] -= lambda * w[a];
      }
      h[0][0] += BIAS_LAMBDA;
      g[0] -= BIAS_LAMBDA * w[0];
      double[] step = solve(h, g);
      // Backtracking: halve the Newton step until the penalised objective does not increase.
      double f0 = objective(x, y, mean, scale, w, lambda);
      double[] trial = new double[p];
      double t = 1;
      for (int half = 0; half < 40; half++, t *= 0.5) {
        for (int a = 0; a < p; a++) {
          trial[a] = w[a] + t * step[a];
        }
        if (objective(x, y, mean, scale, trial, lambda) <= f0) {
          System.arraycopy(trial, 0, w, 0, p);
          break;
        }
      }
    }
    return new Fit(mean, scale, w);
  }

  /** Penalised negative log-likelihood of the standardised model. */
  static double objective(double[][] x, boolean[] y, double[] mean, double[] scale, double[] w, double lambda) {
    double f = 0;
    for (int r = 0; r < x.length; r++) {
      double s = w[0];
      for (int k = 0; k < mean.length; k++) {
        s += w[k + 1] * (x[r][k] - mean[k]) / scale[k];
      }
      // -log σ(s) = log(1 + e^{-s}); -log(1 − σ(s)) = log(1 + e^{s}), both computed stably
      double m = y[r] ? -s : s;
      f += m > 0 ? m + StrictMath.log1p(StrictMath.exp(-m)) : StrictMath.log1p(StrictMath.exp(m));
    }
    double pen = BIAS_LAMBDA * w[0] * w[0];
    for (int a = 1; a < w.length; a++) {
      pen += lambda * w[a] * w[a];
    }
    return f + 0.5 * pen;
  }

  /** Solves A s = b (A is overwritten) by Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a, double[] b) {
    int p = b.length;
    double[][] m = new double[p][];
    for (int i = 0; i < p; i++) {
      m[i] = java.util.Arrays.copyOf(a[i], p + 1);
      m[i][p] = b[i];
    }
    for (int c = 0; c < p; c++) {
      int piv = c;
      for (int r = c + 1; r < p; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
          piv = r;
        }
      }
      double[] t = m[c];
      m[c] = m[piv];
      m[piv] = t;
      double diag = m[c][c];
      if (Math.abs(diag) < 1e-300) {
        continue; // singular direction: leave that coordinate's step at 0
      }
      for (int r = c + 1; r < p; r++) {
        double f = m[r][c] / diag;
        if (f != 0) {
          for (int k = c; k <= p; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
    }
    double[] s = new double[p];
    for (int c = p - 1; c >= 0; c--) {
      double v = m[c][p];
      for (int k = c + 1; k < p; k++) {
        v -= m[c][k] * s[k];
      }
      s[c] = Math.abs(m[c][c]) < 1e-300 ? 0 : v / m[c][c];
    }
    return s;
  }
}

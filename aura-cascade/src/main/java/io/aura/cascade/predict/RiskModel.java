package io.aura.cascade.predict;

import io.aura.cascade.CascadeInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The trained risk model: one {@link RiskFit} per horizon H (seconds), each giving P(cascade &gt; X
 * within H) from the {@link FeatureExtractor} features, plus provenance. A fit is a
 * {@link GradientBoostedTrees.Model} (what {@code ./aura train} ships) or a
 * {@link LogisticRegression.Fit}.
 *
 * <p>File format (UTF-8 text, one record per line, numbers in {@link Double#toString} form so a
 * write/read round trip is exact; {@code #} lines are comments):
 * <pre>
 * aura-risk-model 2
 * features NAME...
 * cascade-fraction X
 * provenance free text up to the end of the line
 * horizon H
 * then either a logistic regression:
 *   logistic
 *   mean V...
 *   scale V...
 *   weights BIAS V...
 * or a tree ensemble of N trees (GradientBoostedTrees.Model#treeText):
 *   gbdt BASE N
 *   tree TOKEN...      (N lines)
 * (repeated per horizon, ascending H)
 * </pre>
 * Version 1 files (logistic regressions without the {@code logistic} line) are still read.
 */
public final class RiskModel {
  /** The primary horizon of spec 6.4. */
  public static final int PRIMARY_HORIZON_SEC = 60;
  /** Classpath resource of the shipped model. */
  public static final String RESOURCE = "/io/aura/cascade/predict/risk-model.txt";
  private static final String MAGIC = "aura-risk-model 2";
  private static final String MAGIC_V1 = "aura-risk-model 1";

  private final List<String> features;
  private final double cascadeFraction;
  private final String provenance;
  private final int[] horizons;
  private final RiskFit[] fits;

  /**
   * @param features feature names, in the order the fits use
   * @param cascadeFraction X
   * @param provenance one line saying how the model was trained
   * @param horizons ascending horizons, seconds
   * @param fits one fit per horizon
   */
  public RiskModel(List<String> features, double cascadeFraction, String provenance, int[] horizons,
      List<? extends RiskFit> fits) {
    if (horizons.length == 0 || horizons.length != fits.size()) {
      throw new CascadeInputException("need one fit per horizon, at least one: " + horizons.length + " horizons, " + fits.size() + " fits");
    }
    for (int h = 0; h < horizons.length; h++) {
      if (horizons[h] <= 0 || (h > 0 && horizons[h] <= horizons[h - 1])) {
        throw new CascadeInputException("horizons must be positive and ascending: " + java.util.Arrays.toString(horizons));
      }
      if (fits.get(h).dimension() != features.size()) {
        throw new CascadeInputException("fit for horizon " + horizons[h] + " has " + fits.get(h).dimension()
            + " features, the model names " + features.size());
      }
    }
    if (provenance.contains("\n")) {
      throw new CascadeInputException("provenance must be one line");
    }
    this.features = List.copyOf(features);
    this.cascadeFraction = cascadeFraction;
    this.provenance = provenance;
    this.horizons = horizons.clone();
    this.fits = fits.toArray(new RiskFit[0]);
  }

  /**
   * Classpath resource of the shipped baseline predictor (v): the logistic regression on (i)–(iv) fitted on
   * the shipped model's training rows ({@code ./aura train --baseline-out}, {@link PredictorTraining#baselineModel}).
   */
  public static final String BASELINE_V_RESOURCE = "/io/aura/cascade/predict/baseline-v-model.txt";

  private static volatile RiskModel shippedModel;
  private static volatile RiskModel shippedBaselineV;

  /** The shipped baseline predictor (v) ({@link #BASELINE_V_RESOURCE}), read once per JVM. */
  public static RiskModel shippedBaselineV() {
    RiskModel m = shippedBaselineV;
    if (m == null) {
      m = readResource(BASELINE_V_RESOURCE);
      shippedBaselineV = m;
    }
    return m;
  }

  /**
   * The model shipped with AURA (trained by {@code ./aura train}, see docs/predictor.md), read and parsed
   * once per JVM (the model is immutable; every guard of a CPB run shares it).
   */
  public static RiskModel shipped() {
    RiskModel m = shippedModel;
    if (m == null) {
      m = readResource(RESOURCE);
      shippedModel = m;
    }
    return m;
  }

  private static RiskModel readResource(String resource) {
    try (InputStream in = RiskModel.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the shipped model " + resource + " is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  public List<String> features() {
    return features;
  }

  public double cascadeFraction() {
    return cascadeFraction;
  }

  public String provenance() {
    return provenance;
  }

  public int[] horizons() {
    return horizons.clone();
  }

  public RiskFit fit(int horizonIndex) {
    return fits[horizonIndex];
  }

  /** Index of {@link #PRIMARY_HORIZON_SEC} if present, else of the first horizon. */
  public int primaryIndex() {
    for (int h = 0; h < horizons.length; h++) {
      if (horizons[h] == PRIMARY_HORIZON_SEC) {
        return h;
      }
    }
    return 0;
  }

  /** The first 12 hex digits of the SHA-256 of {@link #format()}: names the model in manifests. */
  public String fingerprint() {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(format().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The text form (see class doc); parse(format()) equals this model. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(MAGIC).append('\n');
    sb.append("features");
    for (String f : features) {
      sb.append(' ').append(f);
    }
    sb.append('\n');
    sb.append("cascade-fraction ").append(cascadeFraction).append('\n');
    sb.append("provenance ").append(provenance).append('\n');
    for (int h = 0; h < horizons.length; h++) {
      sb.append("horizon ").append(horizons[h]).append('\n');
      switch (fits[h]) {
        case LogisticRegression.Fit lr -> {
          sb.append("logistic\n");
          row(sb, "mean", lr.mean());
          row(sb, "scale", lr.scale());
          row(sb, "weights", lr.weights());
        }
        case GradientBoostedTrees.Model gb -> {
          sb.append("gbdt ").append(gb.base()).append(' ').append(gb.trees()).append('\n');
          for (int t = 0; t < gb.trees(); t++) {
            sb.append("tree ").append(gb.treeText(t)).append('\n');
          }
        }
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String key, double[] v) {
    sb.append(key);
    for (double x : v) {
      sb.append(' ').append(x);
    }
    sb.append('\n');
  }

  /**
   * Parses the text form.
   *
   * @throws CascadeInputException naming the line and what was expected
   */
  public static RiskModel parse(String text) {
    List<String> lines = new ArrayList<>();
    for (String l : text.split("\n", -1)) {
      String t = l.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        lines.add(t);
      }
    }
    int[] pos = {0};
    if (lines.isEmpty() || !(lines.get(0).equals(MAGIC) || lines.get(0).equals(MAGIC_V1))) {
      throw new CascadeInputException("not a risk model: the first line must be '" + MAGIC + "' (or '" + MAGIC_V1 + "')");
    }
    boolean v1 = lines.get(0).equals(MAGIC_V1);
    pos[0] = 1;
    List<String> names = List.of(value(lines, pos, "features").split(" "));
    double x = number(value(lines, pos, "cascade-fraction"), "cascade-fraction");
    String prov = value(lines, pos, "provenance");
    List<Integer> hs = new ArrayList<>();
    List<RiskFit> fits = new ArrayList<>();
    while (pos[0] < lines.size()) {
      String h = value(lines, pos, "horizon");
      try {
        hs.add(Integer.parseInt(h));
      } catch (NumberFormatException e) {
        throw new CascadeInputException("risk model: horizon '" + h + "' is not an integer");
      }
      String kind = v1 ? "logistic" : pos[0] < lines.size() ? lines.get(pos[0]++) : "";
      if (kind.equals("logistic")) {
        double[] mean = numbers(value(lines, pos, "mean"), "mean");
        double[] scale = numbers(value(lines, pos, "scale"), "scale");
        double[] w = numbers(value(lines, pos, "weights"), "weights");
        fits.add(new LogisticRegression.Fit(mean, scale, w));
      } else if (kind.startsWith("gbdt ")) {
        String[] head = kind.substring(5).strip().split(" +");
        if (head.length != 2) {
          throw new CascadeInputException("risk model: expected 'gbdt BASE TREES', found '" + kind + "'");
        }
        double base = number(head[0], "gbdt base");
        int count;
        try {
          count = Integer.parseInt(head[1]);
        } catch (NumberFormatException e) {
          throw new CascadeInputException("risk model: tree count '" + head[1] + "' is not an integer");
        }
        if (count < 1 || count > 100_000) {
          throw new CascadeInputException("risk model: tree count must be in [1, 100000], got " + count);
        }
        List<String> trees = new ArrayList<>();
        for (int t = 0; t < count; t++) {
          trees.add(value(lines, pos, "tree"));
        }
        fits.add(GradientBoostedTrees.Model.parse(names.size(), base, trees));
      } else {
        throw new CascadeInputException("risk model: horizon " + h + " needs a 'logistic' or 'gbdt BASE TREES' line, found '"
            + (kind.isEmpty() ? "the end of the file" : kind) + "'");
      }
    }
    int[] horizons = hs.stream().mapToInt(Integer::intValue).toArray();
    return new RiskModel(names, x, prov, horizons, fits);
  }

  private static String value(List<String> lines, int[] pos, String key) {
    if (pos[0] >= lines.size()) {
      throw new CascadeInputException("risk model: expected a '" + key + "' line, found the end of the file");
    }
    String l = lines.get(pos[0]++);
    if (!l.startsWith(key + " ")) {
      throw new CascadeInputException("risk model: expected a '" + key + "' line, found '" + l + "'");
    }
    return l.substring(key.length() + 1).strip();
  }

  private static double number(String s, String what) {
    try {
      double v = Double.parseDouble(s);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new CascadeInputException("risk model: " + what + " value '" + s + "' is not a finite number");
    }
  }

  private static double[] numbers(String s, String what) {
    String[] parts = s.split(" +");
    double[] v = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = number(parts[i], what);
    }
    return v;
  }
}

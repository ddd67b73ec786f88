package io.aura.cascade.predict;

import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * AURA's cascade guard: a {@link FeatureExtractor} over the snapshot stream and a trained
 * {@link RiskModel} (logistic regression per horizon).
 *
 * <p>{@link #predict}: {@code risk} = the model's P(cascade &gt; X within 60 s), {@code riskByHorizonSec}
 * every horizon of the model, and the critical agents ranked by
 * {@code score_i = r_i · ln(1 + D_i)}, r the root-cause stress ({@link Signals#rootCause}: own stress that the
 * callees' propagated stress does not explain) and D the upstream dependents weight ({@link FeatureExtractor#dependents}); the top max(10, ⌈N/100⌉) agents
 * (ties by id), each with a human-readable reason ({@link #reasons()}).
 *
 * <p>{@link #decide}: the {@link PreventionPolicy} (rate limits at overloaded roots, shedding at surging entries,
 * renewed while needed and left to expire when not), gated by the risk of the same snapshot.
 *
 * <p>Topological memory ({@code enable_memory}, off unless a memory seed is given): every tick the guard
 * computes the {@link TopologicalMemory#signature signature} of its state cloud, runs the memory's
 * online protocol ({@link TopologicalMemory#observe}: store every 5 s, label 60 s later with its own
 * {@code ever_failed_fraction} estimate) and queries it ({@link #memoryRisk()}, {@link #nearest(int)}).
 * Each {@link #init} starts a fresh memory over the frozen seed, so nothing carries over between
 * episodes except the seed. The memory risk changes the prediction only when the model was trained with
 * it (features {@link FeatureExtractor#NAMES_WITH_MEMORY}); with the shipped model (no memory feature)
 * enabling the memory changes no prediction and no action.
 */
public final class AuraGuard implements CascadeGuard {
  private final RiskModel model;
  private final PreventionPolicy.Config policyConfig;
  private FeatureExtractor fx;
  private PreventionPolicy policy;
  private double[] x;
  private List<String> reasons = List.of();
  private int[] lastTop = new int[0];
  private final TopologicalMemory memorySeed;
  private final boolean modelUsesMemory;
  private TopologicalMemory memory;
  private final float[] signature = new float[TopologicalMemory.DIM];
  private double memoryRisk;

  /** A guard using the shipped model. */
  public AuraGuard() {
    this(RiskModel.shipped());
  }

  /** A guard using {@code model}, whose feature names must be {@link FeatureExtractor#NAMES}. */
  public AuraGuard(RiskModel model) {
    this(model, PreventionPolicy.Config.defaults());
  }

  /** A guard using {@code model} and the prevention policy {@code policyConfig}. */
  public AuraGuard(RiskModel model, PreventionPolicy.Config policyConfig) {
    this(model, policyConfig, null);
  }

  /**
   * A guard using {@code model} and the prevention policy {@code policyConfig}, with the topological
   * memory enabled when {@code memorySeed} is not null: each episode's memory searches the frozen seed
   * (e.g. {@link PredictorTraining#seedMemory} of the training episodes, or an empty frozen memory) and
   * adds its own entries. A model whose features are {@link FeatureExtractor#NAMES_WITH_MEMORY} needs a
   * memory.
   */
  public AuraGuard(RiskModel model, PreventionPolicy.Config policyConfig, TopologicalMemory memorySeed) {
    this.model = Objects.requireNonNull(model, "model");
    this.policyConfig = Objects.requireNonNull(policyConfig, "policyConfig");
    if (memorySeed != null && !memorySeed.frozen()) {
      throw new IllegalArgumentException("the memory seed must be frozen (it is shared read-only between episodes)");
    }
    this.memorySeed = memorySeed;
    modelUsesMemory = model.features().equals(FeatureExtractor.NAMES_WITH_MEMORY);
    if (!modelUsesMemory && !model.features().equals(FeatureExtractor.NAMES)) {
      throw new IllegalArgumentException("the risk model's features " + model.features()
          + " differ from this version's " + FeatureExtractor.NAMES + "; retrain it with ./aura train");
    }
    if (modelUsesMemory && memorySeed == null) {
      throw new IllegalArgumentException("the risk model uses the feature " + FeatureExtractor.MEMORY_RISK
          + "; give the guard a memory seed (enable_memory)");
    }
  }

  @Override
  public void init(StaticTopology staticTopology, GuardConfig cfg) {
    fx = new FeatureExtractor(staticTopology);
    policy = new PreventionPolicy(fx.model(), policyConfig);
    x = new double[model.features().size()];
    reasons = List.of();
    lastTop = new int[0];
    memory = memorySeed == null ? null : TopologicalMemory.over(memorySeed, TopologicalMemory.DEFAULT_CAPACITY);
    java.util.Arrays.fill(signature, 0f);
    memoryRisk = 0;
  }

  /**
   * Makes P(cascade within H) non-decreasing in H, as it must be (a cascade within 30 s is also one
   * within 60 s): the horizons are fitted separately and can disagree by a little. The primary
   * horizon's value is kept; a shorter horizon takes the minimum with the next longer one, a longer
   * horizon the maximum with the next shorter one.
   *
   * @param p probabilities by ascending horizon, changed in place
   */
  static void monotoneInHorizon(double[] p, int primary) {
    for (int h = primary - 1; h >= 0; h--) {
      p[h] = Math.min(p[h], p[h + 1]);
    }
    for (int h = primary + 1; h < p.length; h++) {
      p[h] = Math.max(p[h], p[h - 1]);
    }
  }

  /**
   * A feature rounded to 20 significant bits (about six decimal digits) before the trees read it.
   * The features are sums over agents taken in id order, so the same system under other agent ids
   * gives them within an ulp or two of each other; a tree whose split lies between those values
   * turned that into a different risk (seen: mean_error_ratio 0.1839285714285714 against
   * 0.18392857142857144, risk 0.197 against 0.237). Rounded, both read the same value unless they
   * straddle a rounding midpoint (about one evaluation in 2^30); the trees' thresholds, midpoints
   * between training values, move by at most 1e-6 of a feature, which changes no measured result.
   */
  static double canonical(double v) {
    if (!Double.isFinite(v)) {
      return v;
    }
    return Double.longBitsToDouble((Double.doubleToRawLongBits(v) + (1L << 31)) & ~((1L << 32) - 1));
  }

  @Override
  public Prediction predict(TelemetrySnapshot s) {
    if (fx == null) {
      throw new IllegalStateException("predict() before init()");
    }
    fx.update(s);
    fx.features(x);
    if (memory != null) {
      fx.signature(signature);
      memory.observe(s.timeSec(), signature, Math.max(0, Math.min(1, x[FeatureExtractor.EVER_FAILED])));
      memoryRisk = memory.risk(signature);
      if (modelUsesMemory) {
        x[FeatureExtractor.MEMORY_COLUMN] = memoryRisk;
      }
    }
    int[] hs = model.horizons();
    double[] ph = new double[hs.length];
    for (int k = 0; k < x.length; k++) {
      x[k] = canonical(x[k]);
    }
    for (int h = 0; h < hs.length; h++) {
      ph[h] = clamp(model.fit(h).probability(x));
    }
    monotoneInHorizon(ph, model.primaryIndex());
    Map<Integer, Double> byH = new LinkedHashMap<>();
    for (int h = 0; h < hs.length; h++) {
      byH.put(hs[h], ph[h]);
    }
    double risk = ph[model.primaryIndex()];
    int n = fx.model().agentCount();
    int k = Math.min(n, Math.max(10, (n + 99) / 100));
    int[] top = new int[k];
    double[] sc = new double[k];
    topK(i -> fx.rootCause(i) * Math.log1p(fx.dependents(i)), n, k, top, sc);
    lastTop = top;
    reasons = null; // built on demand from the same state (String.format per agent is costly)
    return new Prediction(risk, byH, top, sc);
  }

  /**
   * The k agents of [0, n) with the highest score, best first, ties by the lower agent index, into top
   * and sc (the critical agents: score {@code rootCause · ln(1 + dependents)}). A bounded heap whose root
   * is the worst kept agent: O(n log k), where inserting into a sorted array cost O(n · k) in a cascade
   * at 10⁶ agents (k = 10 000). The critical scores are finite (stress and propagation are clamped), so
   * the order is total; a NaN score would never enter a full heap.
   */
  static void topK(java.util.function.IntToDoubleFunction score, int n, int k, int[] top, double[] sc) {
    int size = 0;
    for (int i = 0; i < n; i++) {
      double v = score.applyAsDouble(i);
      if (size < k) {
        siftUp(top, sc, size++, v, i);
      } else if (v > sc[0]) { // a later agent with the root's score would rank below it
        siftDown(top, sc, k, 0, v, i);
      }
    }
    // pop the worst into the back: best first
    for (int end = size - 1; end > 0; end--) {
      double v = sc[end];
      int a = top[end];
      double rootV = sc[0];
      int rootA = top[0];
      siftDown(top, sc, end, 0, v, a);
      sc[end] = rootV;
      top[end] = rootA;
    }
  }

  /** Places (v, a) at slot c of the heap top/sc or above it, moving better parents down (the root is the worst). */
  private static void siftUp(int[] top, double[] sc, int c, double v, int a) {
    while (c > 0) {
      int p = (c - 1) >>> 1;
      if (!worse(v, a, sc[p], top[p])) {
        break;
      }
      sc[c] = sc[p];
      top[c] = top[p];
      c = p;
    }
    sc[c] = v;
    top[c] = a;
  }

  /** Places (v, a) at slot c of the heap top/sc of the given size, moving worse children up past it. */
  private static void siftDown(int[] top, double[] sc, int size, int c, double v, int a) {
    while (true) {
      int l = 2 * c + 1;
      if (l >= size) {
        break;
      }
      int w = l;
      if (l + 1 < size && worse(sc[l + 1], top[l + 1], sc[l], top[l])) {
        w = l + 1;
      }
      if (!worse(sc[w], top[w], v, a)) {
        break;
      }
      sc[c] = sc[w];
      top[c] = top[w];
      c = w;
    }
    sc[c] = v;
    top[c] = a;
  }

  /** Whether (v, a) ranks below (u, b): a lower score, or the same score and a higher agent index. */
  private static boolean worse(double v, int a, double u, int b) {
    return v < u || (v == u && a > b);
  }

  private static double clamp(double p) {
    return Double.isNaN(p) ? 0 : Math.max(0, Math.min(1, p));
  }

  /**
   * One reason per critical agent of the newest prediction, aligned with its ranking; built on first
   * call after each {@link #predict} from the state that prediction used.
   */
  public List<String> reasons() {
    if (reasons == null) {
      List<String> rs = new ArrayList<>(lastTop.length);
      LiveModel m = fx.model();
      for (int i : lastTop) {
        rs.add(String.format(java.util.Locale.ROOT,
            "agent %d: own stress %.2f (utilisation %s, error ratio %s, queue %s%s), %.2f of it not explained by its callees, propagated stress %.2f, upstream dependents %.1f",
            i, fx.stress(i), shown(m, i, LiveModel.UTIL, "%.2f", m.util(i)), shown(m, i, LiveModel.ERRORS, "%.2f", m.errorRatio(i)),
            shown(m, i, LiveModel.QUEUE, "%.0f", m.queue(i, 0)), m.failed(i) ? ", FAILED" : "",
            fx.rootCause(i), fx.propagatedStress(i), fx.dependents(i)));
      }
      reasons = List.copyOf(rs);
    }
    return reasons;
  }

  /** A metric's value for a reason, or "not reported" for one the agent never sent (it counts as 0). */
  private static String shown(LiveModel m, int i, int bit, String format, double value) {
    return m.reported(i, bit) ? String.format(java.util.Locale.ROOT, format, value) : "not reported";
  }

  /** The newest feature vector, {@link FeatureExtractor#NAMES} order (empty before the first predict). */
  public double[] features() {
    return fx == null ? new double[0] : fx.features();
  }

  /** Whether the topological memory is enabled ({@code enable_memory}). */
  public boolean memoryEnabled() {
    return memorySeed != null;
  }

  /** The memory risk of the newest prediction's state cloud ({@link TopologicalMemory#risk}); 0 with the memory off. */
  public double memoryRisk() {
    return memoryRisk;
  }

  /**
   * The k remembered situations nearest to the newest state cloud, with their landscape distances and
   * outcomes ({@link TopologicalMemory#nearest}); empty with the memory off or before {@link #init}.
   */
  public List<TopologicalMemory.Neighbour> nearest(int k) {
    return memory == null ? List.of() : memory.nearest(signature, k);
  }

  /** This episode's memory (its own entries over the seed), or null with the memory off or before {@link #init}. */
  public TopologicalMemory memory() {
    return memory;
  }

  /**
   * The prevention policy's actions for the snapshot last given to {@link #predict} ({@link PreventionPolicy}, its
   * risk gate fed with {@code p.risk()}).
   */
  @Override
  public List<Action> decide(TelemetrySnapshot s, Prediction p) {
    if (policy == null) {
      throw new IllegalStateException("decide() before init()");
    }
    return policy.decide(s, p == null ? 0.0 : p.risk());
  }
}

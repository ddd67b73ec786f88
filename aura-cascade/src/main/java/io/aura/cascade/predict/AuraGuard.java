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
    int filled = 0;
    for (int i = 0; i < n; i++) {
      double v = fx.rootCause(i) * Math.log1p(fx.dependents(i));
      if (filled < k) {
        int p = filled++;
        while (p > 0 && sc[p - 1] < v) {
          sc[p] = sc[p - 1];
          top[p] = top[p - 1];
          p--;
        }
        sc[p] = v;
        top[p] = i;
      } else if (v > sc[k - 1]) {
        int p = k - 1;
        while (p > 0 && sc[p - 1] < v) {
          sc[p] = sc[p - 1];
          top[p] = top[p - 1];
          p--;
        }
        sc[p] = v;
        top[p] = i;
      }
    }
    lastTop = top;
    reasons = null; // built on demand from the same state (String.format per agent is costly)
    return new Prediction(risk, byH, top, sc);
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
            "agent %d: own stress %.2f (utilisation %.2f, error ratio %.2f, queue %.0f%s), %.2f of it not explained by its callees, propagated stress %.2f, upstream dependents %.1f",
            i, fx.stress(i), m.util(i), m.errorRatio(i), m.queue(i, 0), m.failed(i) ? ", FAILED" : "",
            fx.rootCause(i), fx.propagatedStress(i), fx.dependents(i)));
      }
      reasons = List.copyOf(rs);
    }
    return reasons;
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

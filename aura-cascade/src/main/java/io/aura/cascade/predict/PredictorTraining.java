package io.aura.cascade.predict;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.metrics.PredictionQuality;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.Families;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.RegimeCalibration;
import io.aura.cascade.sim.SimTopology;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Training data, training and evaluation of the risk model (spec 6.4).
 *
 * <p>Data: for every dev seed s, a predict-only D3 episode on {@code Families.build(family, α, s)}
 * with episode seed s; the {@link FeatureExtractor} features are recorded every second. Samples are
 * taken at the post-fault evaluation times {@code t ∈ {t_f, t_f+5, …} , t ≤ min(t_f+600, t_on − ε,
 * T − 60)} ({@link PredictionQuality#postFaultEvalTimes}; times whose 60-s horizon would run past the
 * episode end are dropped, their label would be censored), using the features of the newest snapshot
 * at or before t, with labels {@code y_t = 1[t < t_on(10%) ≤ t+H]} for each horizon H of
 * {@link #HORIZONS}.
 *
 * <p>Calm samples: every episode also gives feature rows at {@code t = W, W+30, …} (W the warm-up,
 * 300 s) while {@code t + max(H) < t_f}, all labels 0 by construction (no fault yet, so no cascade
 * within any horizon). They are training rows only ({@link #trainingMatrix}); every evaluation scores
 * the post-fault samples, as spec 6.4 defines. Without them the model only ever sees systems in the
 * 600 s after a fault, and it answered a calm system (a DSB-SN just before its fault, or a bus with no
 * telemetry) with the base rate of "a fault just happened": mean risk 0.15 on calm seconds of the
 * evaluation seeds, 0.26 for a snapshot with every metric missing.
 *
 * <p>Topological memory: each episode also keeps, per second, the state-cloud signature and the
 * guard's cumulative-failure estimate, so that {@link #withMemory} can replay what {@link AuraGuard}
 * with {@code enable_memory} computes, and {@link #evaluate} can score the {@code memory_risk} feature.
 */
public final class PredictorTraining {
  /** Horizons (s) the model is trained for. */
  public static final int[] HORIZONS = {30, 60, 300};
  /** The primary horizon index in {@link #HORIZONS}. */
  public static final int PRIMARY = 1;
  /** Spacing of the calm (pre-fault) training samples, seconds. */
  public static final int CALM_STEP_SEC = 30;
  /** L2 weight of the logistic-regression fits (baseline (v) and the "logistic regression" comparison row). */
  public static final double LAMBDA = 1.0;
  private static final long NS = 1_000_000_000L;

  private PredictorTraining() {}

  /**
   * Samples of one episode: feature rows x (one per sample), labels y[h] per horizon, and what the
   * topological memory needs to replay the guard: the second of each sample's snapshot, and per second
   * of the episode the state-cloud signature ({@link TopologicalMemory#signature}, null where no
   * snapshot arrived) and the {@code ever_failed_fraction} estimate (NaN where none).
   */
  public record EpisodeSamples(String family, long seed, double faultTimeSec, double onset10Sec, double[][] x,
      boolean[][] y, int[] sampleSec, float[][] signatureBySec, double[] estimateBySec, double[][] calm) {
    /** Post-fault samples only (no calm rows). */
    public EpisodeSamples(String family, long seed, double faultTimeSec, double onset10Sec, double[][] x,
        boolean[][] y, int[] sampleSec, float[][] signatureBySec, double[] estimateBySec) {
      this(family, seed, faultTimeSec, onset10Sec, x, y, sampleSec, signatureBySec, estimateBySec, new double[0][]);
    }

    /**
     * The same post-fault samples with one more feature column appended ({@code column[i]} to row i);
     * the calm rows are dropped (the column, e.g. the memory risk, is only replayed at sample seconds).
     */
    public EpisodeSamples withColumn(double[] column) {
      if (column.length != x.length) {
        throw new IllegalArgumentException(column.length + " values for " + x.length + " samples");
      }
      double[][] nx = new double[x.length][];
      for (int i = 0; i < x.length; i++) {
        nx[i] = java.util.Arrays.copyOf(x[i], x[i].length + 1);
        nx[i][x[i].length] = column[i];
      }
      return new EpisodeSamples(family, seed, faultTimeSec, onset10Sec, nx, y, sampleSec, signatureBySec, estimateBySec,
          new double[0][]);
    }
  }

  /** Episode setup shared by training and evaluation. */
  public record Setup(double alpha, double loadFactor, long durationSec) {
    public Setup {
      if (durationSec < 900) {
        throw new CascadeInputException("episode duration must be >= 900 s (t_f ~ U[600, 900] s), got " + durationSec);
      }
      if (!(alpha >= 0) || !(loadFactor > 0)) {
        throw new CascadeInputException("need alpha >= 0 and load factor > 0: alpha=" + alpha + " load=" + loadFactor);
      }
    }
  }

  /** Records the features each second; predicts nothing useful (risk 0) and never acts. */
  private static final class Recorder implements CascadeGuard {
    private final double[][] byTime;
    private final float[][] sigByTime;
    private FeatureExtractor fx;

    Recorder(long durationSec) {
      byTime = new double[(int) durationSec + 2][];
      sigByTime = new float[(int) durationSec + 2][];
    }

    @Override
    public void init(StaticTopology staticTopology, GuardConfig cfg) {
      fx = new FeatureExtractor(staticTopology);
    }

    @Override
    public Prediction predict(TelemetrySnapshot s) {
      fx.update(s);
      if (s.timeSec() >= 0 && s.timeSec() < byTime.length) {
        byTime[(int) s.timeSec()] = fx.features();
        float[] sig = new float[TopologicalMemory.DIM];
        fx.signature(sig);
        sigByTime[(int) s.timeSec()] = sig;
      }
      return Prediction.of(0);
    }

    @Override
    public List<Action> decide(TelemetrySnapshot s, Prediction p) {
      return List.of();
    }
  }

  /**
   * Whether {@code family} with these settings is the headline cell (ALI-1000, ℓ 0.9, α 0.2; training
   * always runs F-std), whose episodes {@code bench cpb} runs with the regime calibration's fault
   * magnitudes ({@link RegimeCalibration#HEADLINE_SCALE}); training uses the same, so that what the
   * model learns there is the cell it is judged on.
   */
  static boolean headline(String family, Setup setup) {
    return RegimeCalibration.FAMILY.equals(family) && setup.loadFactor() == RegimeCalibration.LOAD
        && setup.alpha() == RegimeCalibration.ALPHA;
  }

  /** Runs one predict-only episode and returns its samples (headline magnitudes in the headline cell). */
  public static EpisodeSamples episode(String family, Setup setup, long seed) {
    SimTopology topo = Families.build(family, setup.alpha(), seed);
    EpisodeParams params = EpisodeParams.defaults().withPredictOnly(true).withLoadFactor(setup.loadFactor())
        .withDuration(setup.durationSec(), Math.min(EpisodeParams.DEFAULT_WARMUP_SEC, setup.durationSec() - 1));
    if (headline(family, setup)) { // the cell bench cpb runs with the regime calibration's fault scale
      params = params.withMagnitudes(RegimeCalibration.headlineMagnitudes());
    }
    Recorder rec = new Recorder(setup.durationSec());
    EpisodeResult r = Episode.run(topo, params, rec, seed);
    long tf = Math.round(r.faultTimeSec() * NS);
    long onset = r.onset10Sec().isPresent() ? Math.round(r.onset10Sec().getAsDouble() * NS) : PredictionQuality.NO_ONSET;
    long[] times = PredictionQuality.postFaultEvalTimes(tf, onset, 5 * NS, 600 * NS);
    long last = (setup.durationSec() - RiskModel.PRIMARY_HORIZON_SEC) * NS;
    List<double[]> xs = new ArrayList<>();
    List<Long> kept = new ArrayList<>();
    List<Integer> secs = new ArrayList<>();
    for (long t : times) {
      if (t > last) {
        break;
      }
      int sec = (int) Math.min(t / NS, rec.byTime.length - 1);
      while (sec >= 0 && rec.byTime[sec] == null) { // the newest snapshot at or before t
        sec--;
      }
      double[] f = sec >= 0 ? rec.byTime[sec] : null;
      if (f != null) {
        xs.add(f);
        kept.add(t);
        secs.add(sec);
      }
    }
    double[] est = new double[rec.byTime.length];
    for (int sec = 0; sec < est.length; sec++) {
      est[sec] = rec.byTime[sec] == null ? Double.NaN : rec.byTime[sec][FeatureExtractor.EVER_FAILED];
    }
    long[] kt = kept.stream().mapToLong(Long::longValue).toArray();
    boolean[][] y = new boolean[HORIZONS.length][];
    for (int h = 0; h < HORIZONS.length; h++) {
      y[h] = PredictionQuality.labels(kt, onset, HORIZONS[h] * NS);
    }
    List<double[]> calm = new ArrayList<>();
    long maxH = HORIZONS[HORIZONS.length - 1];
    for (long t = params.warmupSec(); (t + maxH) * NS < tf && t < rec.byTime.length; t += CALM_STEP_SEC) {
      if (rec.byTime[(int) t] != null) {
        calm.add(rec.byTime[(int) t]);
      }
    }
    return new EpisodeSamples(family, seed, r.faultTimeSec(), r.onset10Sec().orElse(Double.NaN),
        xs.toArray(new double[0][]), y, secs.stream().mapToInt(Integer::intValue).toArray(), rec.sigByTime, est,
        calm.toArray(new double[0][]));
  }

  /** One family's training (or evaluation) seeds, the inclusive range [from, to]. */
  public record FamilySeeds(String family, long from, long to) {
    public FamilySeeds {
      java.util.Objects.requireNonNull(family, "family");
      if (from < 1 || to < from) {
        throw new CascadeInputException("seed range must be 1 <= A <= B, got " + from + "-" + to + " for " + family);
      }
    }

    /** Whether this range shares a seed with {@code o} in the same family. */
    public boolean overlaps(FamilySeeds o) {
      return family.equals(o.family) && from <= o.to && o.from <= to;
    }

    @Override
    public String toString() {
      return family + ":" + from + "-" + to;
    }
  }

  /** The most episodes one training or evaluation list may ask for. */
  public static final long MAX_EPISODES = 1_000_000;

  /**
   * Parses {@code aura train}'s family list: {@code F[:A-B],F[:A-B]...}; a family without its own
   * range takes {@code defaultRange} (the {@code --seeds} range), e.g. {@code dsb-sn,ali-100,ali-1000:2001-2030}
   * with {@code {1, 60}}. A family may appear more than once with ranges that do not overlap. Names are
   * compared as {@code Families} reads them (blanks stripped, lower case).
   *
   * @throws CascadeInputException naming the bad part
   */
  public static List<FamilySeeds> parseFamilies(String spec, long[] defaultRange) {
    List<FamilySeeds> out = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      String p = part.strip();
      int colon = p.indexOf(':');
      String fam = (colon < 0 ? p : p.substring(0, colon)).strip().toLowerCase(java.util.Locale.ROOT);
      if (fam.isEmpty()) {
        throw new CascadeInputException("--family '" + spec + "' has an empty family name");
      }
      long from = defaultRange[0];
      long to = defaultRange[1];
      if (colon >= 0) {
        String[] ab = p.substring(colon + 1).strip().split("-", -1);
        try {
          from = Long.parseLong(ab[0].strip());
          to = ab.length == 1 ? from : ab.length == 2 ? Long.parseLong(ab[1].strip()) : -1;
        } catch (NumberFormatException e) {
          to = -1;
        }
        if (from < 1 || to < from) {
          throw new CascadeInputException("--family part '" + p + "' must be FAMILY or FAMILY:A-B with 1 <= A <= B");
        }
      }
      FamilySeeds fs = new FamilySeeds(fam, from, to);
      for (FamilySeeds o : out) {
        if (o.overlaps(fs)) {
          throw new CascadeInputException("--family '" + spec + "' lists seeds of " + fam + " twice (" + o + ", " + fs + ")");
        }
      }
      out.add(fs);
      episodeCount(out);
    }
    return out;
  }

  /**
   * How many episodes {@code sets} ask for.
   *
   * @throws CascadeInputException above {@link #MAX_EPISODES}
   */
  private static int episodeCount(List<FamilySeeds> sets) {
    long count = 0;
    for (FamilySeeds fs : sets) {
      count += fs.to() - fs.from() + 1;
      if (fs.to() - fs.from() >= MAX_EPISODES || count > MAX_EPISODES) {
        throw new CascadeInputException("more than " + MAX_EPISODES + " episodes asked for (" + sets + ")");
      }
    }
    return (int) count;
  }

  /**
   * Runs episodes for every family and seed in [from, to], in that order, single-threaded.
   *
   * @param progress receives one line per episode
   */
  public static List<EpisodeSamples> collect(List<String> families, Setup setup, long from, long to,
      Consumer<String> progress) {
    if (from < 1 || to < from) {
      throw new CascadeInputException("seed range must be 1 <= A <= B, got " + from + "-" + to);
    }
    List<FamilySeeds> sets = new ArrayList<>();
    for (String f : families) {
      sets.add(new FamilySeeds(f, from, to));
    }
    return collect(sets, setup, 1, progress);
  }

  /**
   * Runs the episodes of every family's range, on {@code threads} threads. The result is in the
   * order of {@code sets} and, within one, of the seeds, whatever the thread count: each episode is
   * deterministic, so the training rows and the model are too.
   *
   * @param progress receives one line per episode, in that order
   */
  public static List<EpisodeSamples> collect(List<FamilySeeds> sets, Setup setup, int threads, Consumer<String> progress) {
    if (threads < 1) {
      throw new CascadeInputException("threads must be >= 1, got " + threads);
    }
    List<EpisodeSamples> out = new ArrayList<>(episodeCount(sets));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<EpisodeSamples>> futures = new ArrayList<>();
      for (FamilySeeds fs : sets) {
        for (long s = fs.from(); s <= fs.to(); s++) {
          long seed = s;
          futures.add(pool.submit(() -> episode(fs.family(), setup, seed)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        EpisodeSamples e = futures.get(i).get();
        out.add(e);
        int pos = 0;
        for (boolean b : e.y()[PRIMARY]) {
          pos += b ? 1 : 0;
        }
        progress.accept(String.format(java.util.Locale.ROOT, "[%d/%d] %s seed %d: t_f %.0f s, t_on(10%%) %s, %d samples, %d positive",
            i + 1, futures.size(), e.family(), e.seed(), e.faultTimeSec(), Double.isNaN(e.onset10Sec()) ? "none" : String.format(java.util.Locale.ROOT, "%.0f s", e.onset10Sec()),
            e.x().length, pos));
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while collecting episodes", ex);
    } catch (java.util.concurrent.ExecutionException ex) {
      if (ex.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (ex.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(ex.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /** Stacked design matrix of the selected feature columns. */
  public static double[][] matrix(List<EpisodeSamples> data, int[] columns) {
    List<double[]> rows = new ArrayList<>();
    for (EpisodeSamples e : data) {
      project(e.x(), columns, rows);
    }
    return rows.toArray(new double[0][]);
  }

  /** Appends the selected columns of each feature row to {@code out}. */
  private static void project(double[][] features, int[] columns, List<double[]> out) {
    for (double[] f : features) {
      double[] r = new double[columns.length];
      for (int k = 0; k < columns.length; k++) {
        r[k] = f[columns[k]];
      }
      out.add(r);
    }
  }

  /** Stacked labels for horizon index h. */
  public static boolean[] labels(List<EpisodeSamples> data, int h) {
    int n = 0;
    for (EpisodeSamples e : data) {
      n += e.y()[h].length;
    }
    boolean[] y = new boolean[n];
    int k = 0;
    for (EpisodeSamples e : data) {
      for (boolean b : e.y()[h]) {
        y[k++] = b;
      }
    }
    return y;
  }

  /** {@link #matrix} followed by every episode's calm rows: what the learners are fitted on. */
  public static double[][] trainingMatrix(List<EpisodeSamples> data, int[] columns) {
    List<double[]> rows = new ArrayList<>(java.util.Arrays.asList(matrix(data, columns)));
    for (EpisodeSamples e : data) {
      project(e.calm(), columns, rows);
    }
    return rows.toArray(new double[0][]);
  }

  /** {@link #labels} followed by a false per calm row, matching {@link #trainingMatrix}. */
  public static boolean[] trainingLabels(List<EpisodeSamples> data, int h) {
    boolean[] post = labels(data, h);
    int calm = 0;
    for (EpisodeSamples e : data) {
      calm += e.calm().length;
    }
    return java.util.Arrays.copyOf(post, post.length + calm);
  }

  /** All feature columns. */
  public static int[] allColumns() {
    int[] c = new int[FeatureExtractor.NAMES.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = i;
    }
    return c;
  }

  /**
   * Trains the full model (all features, every horizon).
   *
   * @param provenance one line recorded in the model file
   */
  public static RiskModel train(List<EpisodeSamples> data, String provenance) {
    double[][] x = trainingMatrix(data, allColumns());
    List<RiskFit> fits = new ArrayList<>();
    for (int h = 0; h < HORIZONS.length; h++) {
      fits.add(learn(x, trainingLabels(data, h)));
    }
    return new RiskModel(FeatureExtractor.NAMES, 0.10, provenance, HORIZONS, fits);
  }

  /**
   * Baseline predictor (v) of spec 6.4: the logistic regression on (i)–(iv) ({@link FeatureExtractor#BASELINES}),
   * L2 weight {@link #LAMBDA}, fitted on the same training rows and primary-horizon labels as {@link #train}
   * (the same fit as the evaluation's "(v)" row). A one-horizon model whose features are the four baseline
   * columns' names; {@code bench cpb} scores it beside the risk ({@link RiskModel#shippedBaselineV()}).
   */
  public static RiskModel baselineModel(List<EpisodeSamples> data, String provenance) {
    RiskFit f = LogisticRegression.fit(trainingMatrix(data, FeatureExtractor.BASELINES), trainingLabels(data, PRIMARY), LAMBDA);
    List<String> names = new ArrayList<>();
    for (int c : FeatureExtractor.BASELINES) {
      names.add(FeatureExtractor.NAMES.get(c));
    }
    return new RiskModel(names, 0.10, provenance, new int[] {HORIZONS[PRIMARY]}, List.of(f));
  }

  /** The learner of the shipped model and of every "AURA" row of the evaluation: {@link GradientBoostedTrees#DEFAULTS}. */
  static RiskFit learn(double[][] x, boolean[] y) {
    return GradientBoostedTrees.fit(x, y, GradientBoostedTrees.DEFAULTS);
  }

  // ------------------------------------------------------------------------------ topological memory

  /**
   * The labelled entries a guard with the memory on would have stored during episode {@code e}: a replay
   * of {@link TopologicalMemory#observe} over its seconds with the recorded signatures and estimates
   * (entries still pending at the episode end are dropped; capacity large enough to keep all).
   */
  public static TopologicalMemory episodeMemory(EpisodeSamples e) {
    float[][] sig = e.signatureBySec();
    TopologicalMemory m = new TopologicalMemory(sig.length / TopologicalMemory.STRIDE_SEC + 1);
    for (int sec = 0; sec < sig.length; sec++) {
      if (sig[sec] != null) {
        m.observe(sec, sig[sec], e.estimateBySec()[sec]);
      }
    }
    return m;
  }

  /**
   * A frozen seed memory of every episode's {@link #episodeMemory} entries, tagged with the episode's
   * index in {@code episodes}, in that order.
   */
  public static TopologicalMemory seedMemory(List<EpisodeSamples> episodes) {
    List<TopologicalMemory> ms = new ArrayList<>();
    for (EpisodeSamples e : episodes) {
      ms.add(episodeMemory(e));
    }
    return seed(ms, -1);
  }

  private static TopologicalMemory seed(List<TopologicalMemory> episodes, int leaveOut) {
    int total = 0;
    for (int i = 0; i < episodes.size(); i++) {
      total += i == leaveOut ? 0 : episodes.get(i).ownSize();
    }
    TopologicalMemory m = new TopologicalMemory(Math.max(1, total));
    for (int i = 0; i < episodes.size(); i++) {
      if (i != leaveOut) {
        m.addAll(episodes.get(i), i);
      }
    }
    return m.freeze();
  }

  /**
   * The memory risk at each sample of {@code e} as {@link AuraGuard} with the memory on computes it:
   * a fresh memory over {@code seed}, {@link TopologicalMemory#observe} every recorded second, the
   * {@link TopologicalMemory#risk} of the sample's second.
   */
  public static double[] memoryRisks(EpisodeSamples e, TopologicalMemory seed) {
    TopologicalMemory m = TopologicalMemory.over(seed, TopologicalMemory.DEFAULT_CAPACITY);
    float[][] sig = e.signatureBySec();
    double[] out = new double[e.x().length];
    int next = 0;
    for (int sec = 0; sec < sig.length; sec++) {
      if (sig[sec] == null) {
        continue;
      }
      m.observe(sec, sig[sec], e.estimateBySec()[sec]);
      while (next < out.length && e.sampleSec()[next] == sec) {
        out[next++] = m.risk(sig[sec]);
      }
    }
    if (next != out.length) {
      throw new IllegalStateException("samples out of order: " + next + " of " + out.length + " replayed");
    }
    return out;
  }

  /**
   * Training and test samples with the memory risk appended as column
   * {@value FeatureExtractor#MEMORY_COLUMN}: a training episode's values come from a seed of the
   * <em>other</em> training episodes (leave one episode out: its own entries would be found at
   * distance 0), a test episode's from the seed of all training episodes.
   *
   * @param seedEntries labelled entries of the full training seed
   * @param seedCascading how many of them have a cascading outcome
   */
  public record MemoryData(List<EpisodeSamples> train, List<EpisodeSamples> test, int seedEntries, int seedCascading) {}

  /** See {@link MemoryData}. */
  public static MemoryData withMemory(List<EpisodeSamples> train, List<EpisodeSamples> test) {
    List<TopologicalMemory> ms = new ArrayList<>();
    for (EpisodeSamples e : train) {
      ms.add(episodeMemory(e));
    }
    List<EpisodeSamples> tr = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      tr.add(train.get(i).withColumn(memoryRisks(train.get(i), seed(ms, i))));
    }
    TopologicalMemory all = seed(ms, -1);
    List<EpisodeSamples> te = new ArrayList<>();
    for (EpisodeSamples e : test) {
      te.add(e.withColumn(memoryRisks(e, all)));
    }
    return new MemoryData(tr, te, all.size(), all.cascadingCount());
  }

  /** Scores of the primary horizon: one metric row. */
  public record Row(String name, double auroc, double auprc, double prevalence, double ece, double brierSkill) {}

  /**
   * Evaluation of spec 6.4 on held-out episodes (post-fault, H = 60 s, X = 10%): each baseline
   * predictor (i)–(iv) as a raw score (AUROC/AUPRC only; ECE and Brier need probabilities), (v)
   * logistic regression on (i)–(iv), the full model, and ablations that drop or keep one signal family
   * (and drop each topological feature), each refitted on {@code train}.
   */
  public static List<Row> evaluate(List<EpisodeSamples> train, List<EpisodeSamples> test) {
    return evaluate(train, test, withMemory(train, test));
  }

  /** {@link #evaluate(List, List)} with the memory column already computed ({@link #withMemory}). */
  public static List<Row> evaluate(List<EpisodeSamples> train, List<EpisodeSamples> test, MemoryData md) {
    return evaluate(train, test, md, null);
  }

  /**
   * One row of the evaluation against the full model: row minus "AURA full model", paired episode
   * bootstrap (the same resampled test episodes for both), 2.5% and 97.5% nearest-rank bounds.
   */
  public record Delta(String name, double dAuroc, double aurocLow, double aurocHigh, double dAuprc, double auprcLow,
      double auprcHigh) {}

  /** The evaluation table and, for each row above the memory rows, its difference from the full model. */
  public record Evaluation(List<Row> rows, List<Delta> vsFull, int replicates) {}

  /**
   * {@link #evaluate(List, List, MemoryData)} plus a paired episode bootstrap ({@code replicates} resamples
   * of the test episodes with replacement, SplitMix64(seed); resamples with one class only are skipped)
   * of every row minus the full model, so that an ablation's effect comes with an interval. The memory
   * rows are left out: their fits see no calm rows ({@link #memoryRows}; {@link #memoryDifference} is
   * their paired comparison).
   */
  public static Evaluation evaluateWithIntervals(List<EpisodeSamples> train, List<EpisodeSamples> test, MemoryData md,
      int replicates, long seed) {
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1, got " + replicates);
    }
    java.util.Map<String, double[]> scores = new java.util.LinkedHashMap<>();
    List<Row> rows = evaluate(train, test, md, scores);
    int episodes = test.size();
    int[] offset = new int[episodes + 1];
    for (int e = 0; e < episodes; e++) {
      offset[e + 1] = offset[e] + test.get(e).y()[PRIMARY].length;
    }
    boolean[] y = labels(test, PRIMARY);
    double[] full = scores.get("AURA full model");
    List<String> names = new ArrayList<>(scores.keySet());
    names.remove("AURA full model");
    double[][] dRoc = new double[names.size()][replicates];
    double[][] dPr = new double[names.size()][replicates];
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(seed);
    int valid = 0;
    int[] pick = new int[episodes];
    for (int r = 0; r < replicates; r++) {
      int n = 0;
      for (int k = 0; k < episodes; k++) {
        pick[k] = rng.nextInt(episodes);
        n += offset[pick[k] + 1] - offset[pick[k]];
      }
      boolean[] yy = new boolean[n];
      int[] at = new int[n];
      int pos = 0;
      int k = 0;
      for (int e : pick) {
        for (int i = offset[e]; i < offset[e + 1]; i++) {
          at[k] = i;
          yy[k] = y[i];
          pos += y[i] ? 1 : 0;
          k++;
        }
      }
      if (pos == 0 || pos == n) {
        continue;
      }
      double[] f = gather(full, at);
      double fRoc = PredictionQuality.auroc(f, yy);
      double fPr = PredictionQuality.averagePrecision(f, yy);
      for (int j = 0; j < names.size(); j++) {
        double[] g = gather(scores.get(names.get(j)), at);
        dRoc[j][valid] = PredictionQuality.auroc(g, yy) - fRoc;
        dPr[j][valid] = PredictionQuality.averagePrecision(g, yy) - fPr;
      }
      valid++;
    }
    if (valid == 0) {
      throw new IllegalArgumentException("the test episodes need both outcomes to compare AUROCs");
    }
    double fullRoc = PredictionQuality.auroc(full, y);
    double fullPr = PredictionQuality.averagePrecision(full, y);
    List<Delta> deltas = new ArrayList<>();
    for (int j = 0; j < names.size(); j++) {
      double[] a = bounds95(dRoc[j], valid);
      double[] b = bounds95(dPr[j], valid);
      double[] g = scores.get(names.get(j));
      deltas.add(new Delta(names.get(j), PredictionQuality.auroc(g, y) - fullRoc, a[0], a[1],
          PredictionQuality.averagePrecision(g, y) - fullPr, b[0], b[1]));
    }
    return new Evaluation(rows, deltas, valid);
  }

  private static double[] gather(double[] v, int[] at) {
    double[] out = new double[at.length];
    for (int i = 0; i < at.length; i++) {
      out[i] = v[at[i]];
    }
    return out;
  }

  /** The rows; when {@code scores} is not null, each row's test scores by its name (memory rows excepted). */
  private static List<Row> evaluate(List<EpisodeSamples> train, List<EpisodeSamples> test, MemoryData md,
      java.util.Map<String, double[]> scores) {
    boolean[] yTest = labels(test, PRIMARY);
    boolean[] yTrain = trainingLabels(train, PRIMARY);
    List<Row> rows = new ArrayList<>();
    String[] base = {"(i) max utilisation", "(ii) max queue growth", "(iii) critical slowing down", "(iv) branching ratio"};
    for (int b = 0; b < 4; b++) {
      double[][] x = matrix(test, new int[] {b});
      double[] s = new double[x.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = x[i][0];
      }
      rows.add(new Row(base[b], PredictionQuality.auroc(s, yTest), PredictionQuality.averagePrecision(s, yTest),
          PredictionQuality.prevalence(yTest), Double.NaN, Double.NaN));
      if (scores != null) {
        scores.put(base[b], s);
      }
    }
    rows.add(lr("(v) logistic regression on (i)-(iv)", FeatureExtractor.BASELINES, train, test, yTrain, yTest, scores));
    rows.add(gb("AURA full model", allColumns(), train, test, yTrain, yTest, scores));
    rows.add(lr("AURA features, logistic regression", allColumns(), train, test, yTrain, yTest, scores));
    int[][] fams = {FeatureExtractor.BASELINES, FeatureExtractor.STATE, FeatureExtractor.STRUCTURAL, FeatureExtractor.TOPOLOGICAL,
        FeatureExtractor.DISRUPTION};
    String[] famNames = {"baseline", "state", "structural", "topological", "disruption"};
    for (int f = 0; f < fams.length; f++) {
      rows.add(gb("AURA without " + famNames[f], without(fams[f]), train, test, yTrain, yTest, scores));
    }
    for (int c : FeatureExtractor.TOPOLOGICAL) {
      rows.add(gb("AURA without " + FeatureExtractor.NAMES.get(c), without(new int[] {c}), train, test, yTrain, yTest, scores));
    }
    for (int f = 1; f < fams.length; f++) {
      rows.add(gb("baselines + " + famNames[f] + " only", concat(FeatureExtractor.BASELINES, fams[f]), train, test, yTrain, yTest,
          scores));
    }
    for (int f = 1; f < fams.length; f++) {
      rows.add(gb(famNames[f] + " alone", fams[f], train, test, yTrain, yTest, scores));
    }
    rows.addAll(memoryRows(md, trainingLabels(md.train(), PRIMARY), yTest));
    return rows;
  }

  /**
   * The memory ablation: the memory risk itself as a probability (no refit), the memory alone and with
   * the baselines (refitted), the full model with it, and the full model with the memory in place of
   * the topological family. These fits see no calm rows (the memory column exists only at sample
   * seconds), so compare them with each other and with {@link #memoryDifference}, not with the rows
   * above them.
   */
  static List<Row> memoryRows(MemoryData md, boolean[] yTrain, boolean[] yTest) {
    List<Row> rows = new ArrayList<>();
    double[][] x = matrix(md.test(), FeatureExtractor.MEMORY);
    double[] s = new double[x.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = x[i][0];
    }
    rows.add(new Row("memory risk as is (kNN share)", PredictionQuality.auroc(s, yTest),
        PredictionQuality.averagePrecision(s, yTest), PredictionQuality.prevalence(yTest), PredictionQuality.ece(s, yTest),
        PredictionQuality.brierSkill(s, yTest)));
    rows.add(gb("memory alone", FeatureExtractor.MEMORY, md.train(), md.test(), yTrain, yTest));
    rows.add(gb("baselines + memory only", concat(FeatureExtractor.BASELINES, FeatureExtractor.MEMORY), md.train(), md.test(),
        yTrain, yTest));
    rows.add(gb("AURA full + memory", concat(allColumns(), FeatureExtractor.MEMORY), md.train(), md.test(), yTrain, yTest));
    rows.add(gb("AURA + memory without topological", concat(without(FeatureExtractor.TOPOLOGICAL), FeatureExtractor.MEMORY),
        md.train(), md.test(), yTrain, yTest));
    return rows;
  }

  /**
   * Paired episode bootstrap of "AURA full + memory" minus "AURA full" on the test episodes: both models
   * refitted on the training rows, then {@code replicates} resamples of the test episodes with
   * replacement (SplitMix64(seed)), the same resample for both; resamples with one class only are
   * skipped. Bounds are the 2.5% and 97.5% nearest-rank quantiles.
   *
   * @return {point, low, high} of ΔAUROC, then {point, low, high} of ΔAUPRC
   */
  public static double[] memoryDifference(MemoryData md, int replicates, long seed) {
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1, got " + replicates);
    }
    boolean[] yTrain = labels(md.train(), PRIMARY);
    int[] with = concat(allColumns(), FeatureExtractor.MEMORY);
    int[] without = allColumns();
    RiskFit fa = learn(matrix(md.train(), with), yTrain);
    RiskFit fb = learn(matrix(md.train(), without), yTrain);
    int episodes = md.test().size();
    double[][] pa = new double[episodes][];
    double[][] pb = new double[episodes][];
    boolean[][] y = new boolean[episodes][];
    for (int e = 0; e < episodes; e++) {
      List<EpisodeSamples> one = List.of(md.test().get(e));
      double[][] xa = matrix(one, with);
      double[][] xb = matrix(one, without);
      pa[e] = new double[xa.length];
      pb[e] = new double[xb.length];
      for (int i = 0; i < xa.length; i++) {
        pa[e][i] = fa.probability(xa[i]);
        pb[e][i] = fb.probability(xb[i]);
      }
      y[e] = md.test().get(e).y()[PRIMARY];
    }
    int[] all = new int[episodes];
    for (int e = 0; e < episodes; e++) {
      all[e] = e;
    }
    double[] point = differences(pa, pb, y, all);
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(seed);
    double[] dRoc = new double[replicates];
    double[] dPr = new double[replicates];
    int valid = 0;
    int[] pick = new int[episodes];
    for (int r = 0; r < replicates; r++) {
      for (int k = 0; k < episodes; k++) {
        pick[k] = rng.nextInt(episodes);
      }
      double[] d = differences(pa, pb, y, pick);
      if (d != null) {
        dRoc[valid] = d[0];
        dPr[valid] = d[1];
        valid++;
      }
    }
    if (point == null || valid == 0) {
      throw new IllegalArgumentException("the test episodes need both outcomes to compare AUROCs");
    }
    double[] a = bounds95(dRoc, valid);
    double[] b = bounds95(dPr, valid);
    return new double[] {point[0], a[0], a[1], point[1], b[0], b[1]};
  }

  /** The 2.5% and 97.5% nearest-rank quantiles of the first {@code valid} bootstrap replicates. */
  private static double[] bounds95(double[] replicates, int valid) {
    double[] v = java.util.Arrays.copyOf(replicates, valid);
    java.util.Arrays.sort(v);
    return new double[] {v[(int) (0.025 * (valid - 1))], v[(int) Math.ceil(0.975 * (valid - 1))]};
  }

  /** {ΔAUROC, ΔAUPRC} of the chosen episodes (with repeats), or null if one class is missing. */
  private static double[] differences(double[][] pa, double[][] pb, boolean[][] y, int[] pick) {
    int n = 0;
    for (int e : pick) {
      n += y[e].length;
    }
    double[] a = new double[n];
    double[] b = new double[n];
    boolean[] yy = new boolean[n];
    int k = 0;
    int pos = 0;
    for (int e : pick) {
      for (int i = 0; i < y[e].length; i++) {
        a[k] = pa[e][i];
        b[k] = pb[e][i];
        yy[k] = y[e][i];
        pos += y[e][i] ? 1 : 0;
        k++;
      }
    }
    if (pos == 0 || pos == n) {
      return null;
    }
    return new double[] {PredictionQuality.auroc(a, yy) - PredictionQuality.auroc(b, yy),
        PredictionQuality.averagePrecision(a, yy) - PredictionQuality.averagePrecision(b, yy)};
  }

  /** A row of a logistic regression on {@code cols}. */
  private static Row lr(String name, int[] cols, List<EpisodeSamples> train, List<EpisodeSamples> test, boolean[] yTrain,
      boolean[] yTest) {
    return lr(name, cols, train, test, yTrain, yTest, null);
  }

  private static Row lr(String name, int[] cols, List<EpisodeSamples> train, List<EpisodeSamples> test, boolean[] yTrain,
      boolean[] yTest, java.util.Map<String, double[]> scores) {
    return row(name, LogisticRegression.fit(trainingMatrix(train, cols), yTrain, LAMBDA), cols, test, yTest, scores);
  }

  /** A row of the shipped learner ({@link #learn}) on {@code cols}. */
  private static Row gb(String name, int[] cols, List<EpisodeSamples> train, List<EpisodeSamples> test, boolean[] yTrain,
      boolean[] yTest) {
    return gb(name, cols, train, test, yTrain, yTest, null);
  }

  private static Row gb(String name, int[] cols, List<EpisodeSamples> train, List<EpisodeSamples> test, boolean[] yTrain,
      boolean[] yTest, java.util.Map<String, double[]> scores) {
    return row(name, learn(trainingMatrix(train, cols), yTrain), cols, test, yTest, scores);
  }

  private static Row row(String name, RiskFit fit, int[] cols, List<EpisodeSamples> test, boolean[] yTest,
      java.util.Map<String, double[]> scores) {
    double[][] x = matrix(test, cols);
    double[] p = new double[x.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = fit.probability(x[i]);
    }
    if (scores != null) {
      scores.put(name, p);
    }
    return new Row(name, PredictionQuality.auroc(p, yTest), PredictionQuality.averagePrecision(p, yTest),
        PredictionQuality.prevalence(yTest), PredictionQuality.ece(p, yTest), PredictionQuality.brierSkill(p, yTest));
  }

  private static int[] without(int[] drop) {
    List<Integer> keep = new ArrayList<>();
    outer:
    for (int c : allColumns()) {
      for (int d : drop) {
        if (c == d) {
          continue outer;
        }
      }
      keep.add(c);
    }
    return keep.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /**
   * The written model on the evaluation episodes, primary horizon: pooled post-fault AUROC with a 95%
   * episode-bootstrap interval ({@link PredictionQuality#aurocEpisodeBootstrap}, the interval of
   * {@code bench cpb}), ECE, and AUROC per family.
   */
  public static String fullModelDetail(RiskModel model, List<EpisodeSamples> test, int replicates, long seed) {
    RiskFit fit = model.fit(model.primaryIndex());
    double[][] x = matrix(test, allColumns());
    boolean[] y = labels(test, PRIMARY);
    double[] p = new double[x.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = fit.probability(x[i]);
    }
    int[] offsets = new int[test.size() + 1];
    java.util.Map<String, List<Integer>> byFamily = new java.util.LinkedHashMap<>();
    for (int e = 0; e < test.size(); e++) {
      offsets[e + 1] = offsets[e] + test.get(e).x().length;
      List<Integer> rows = byFamily.computeIfAbsent(test.get(e).family(), k -> new ArrayList<>());
      for (int i = offsets[e]; i < offsets[e + 1]; i++) {
        rows.add(i);
      }
    }
    if (!hasBothClasses(y)) {
      return "written model: the evaluation episodes need both outcomes for an AUROC\n";
    }
    io.aura.cascade.metrics.BootstrapInterval ci = PredictionQuality.aurocEpisodeBootstrap(p, y, offsets, replicates, 0.95, seed);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(java.util.Locale.ROOT,
        "written model, H = %d s: AUROC %.3f [95%% CI %.3f, %.3f] (bootstrap over the %d eval episodes, %d replicates),"
            + " ECE %.3f, %d samples, %d positive%n",
        HORIZONS[PRIMARY], ci.point(), ci.lower(), ci.upper(), test.size(), replicates, PredictionQuality.ece(p, y), y.length,
        positives(y)));
    for (var f : byFamily.entrySet()) {
      double[] fp = new double[f.getValue().size()];
      boolean[] fy = new boolean[fp.length];
      for (int k = 0; k < fp.length; k++) {
        fp[k] = p[f.getValue().get(k)];
        fy[k] = y[f.getValue().get(k)];
      }
      sb.append(!hasBothClasses(fy)
          ? String.format(java.util.Locale.ROOT, "  %s: one outcome only, no AUROC%n", f.getKey())
          : String.format(java.util.Locale.ROOT, "  %s: AUROC %.3f, ECE %.3f, %d samples, %d positive%n", f.getKey(),
              PredictionQuality.auroc(fp, fy), PredictionQuality.ece(fp, fy), fy.length, positives(fy)));
    }
    return sb.toString();
  }

  private static int positives(boolean[] y) {
    int pos = 0;
    for (boolean b : y) {
      pos += b ? 1 : 0;
    }
    return pos;
  }

  private static boolean hasBothClasses(boolean[] y) {
    int pos = positives(y);
    return pos > 0 && pos < y.length;
  }

  /** The differences from the full model as text, one line per row. */
  public static String deltaTable(Evaluation ev) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(java.util.Locale.ROOT, "%-40s %7s %17s %7s %17s%n", "minus AURA full model", "dAUROC", "95% CI",
        "dAUPRC", "95% CI"));
    for (Delta d : ev.vsFull()) {
      sb.append(String.format(java.util.Locale.ROOT, "%-40s %+7.3f [%+.3f, %+.3f] %+7.3f [%+.3f, %+.3f]%n", d.name(), d.dAuroc(),
          d.aurocLow(), d.aurocHigh(), d.dAuprc(), d.auprcLow(), d.auprcHigh()));
    }
    return sb.toString();
  }

  /** The rows as a fixed-width text table. */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(java.util.Locale.ROOT, "%-40s %7s %7s %7s %7s %7s%n", "predictor", "AUROC", "AUPRC", "prev", "ECE", "BSS"));
    for (Row r : rows) {
      sb.append(String.format(java.util.Locale.ROOT, "%-40s %7.3f %7.3f %7.3f %7s %7s%n", r.name(), r.auroc(), r.auprc(),
          r.prevalence(), Double.isNaN(r.ece()) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", r.ece()),
          Double.isNaN(r.brierSkill()) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", r.brierSkill())));
    }
    return sb.toString();
  }
}

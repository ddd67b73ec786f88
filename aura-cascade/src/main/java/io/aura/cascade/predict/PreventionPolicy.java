package io.aura.cascade.predict;

import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * AURA's prevention policy ({@code decide}): local overload control at the root of the trouble and
 * load shedding at the traffic source during a surge, renewed while needed and left to expire
 * (revert) when not.
 *
 * <p><b>What it learns</b> per agent, with no knowledge of capacities (the SUT is never told them):
 * arrivals, external arrivals {@code ext_i = max(0, arrivals_i − Σ_{e→i} attempts_e)} (traffic no
 * visible caller explains: entry traffic), p99 latency, and the throughput per unit of CPU
 * {@code κ_i = completed_i / cpu_i} (completed = successes + errors − admission rejections): what the
 * agent's healthy cores complete per second when fully busy. During the warm-up
 * ({@link Config#warmupSec}, no actions) every second counts (mean, then EWMA weight
 * {@link #WARMUP_RATE}); afterwards only calm seconds count (no action of ours on the agent, fast
 * p99 at most twice the baseline, errors at most 5% of arrivals, no surge), with weight
 * {@link Config#learnRate}. Rules test fast EWMAs (weight {@link #FAST}, about 3 s) of CPU, external
 * arrivals, p99 and harm, and never act on agents with fewer than {@link #MIN_RATE} baseline
 * arrivals per second (they can never count as FAILED: the rule needs 10 requests in 10 s).
 *
 * <p><b>Rules</b>, every control period after the warm-up:
 * <ol>
 *   <li><b>Overloaded root → inbound rate limit</b>, when the risk model agrees (risk ≥
 *       {@link Config#riskGate}). Agent i is overloaded when its fast CPU utilisation is at least
 *       {@link Config#cpuSaturated}, it does harm — at least {@link #HARM} of its arrivals refused at
 *       admission or of its callers' attempts failing — and its queue grew for
 *       {@link Config#growthSec} seconds or its p99 is {@link Config#latencyFactor} × baseline. CPU
 *       saturation (not thread saturation) marks a root: an agent whose threads are busy while its
 *       CPU is not is waiting on a callee, and the callee is the one to limit. Action:
 *       {@code RateLimit(i, inbound, headroom · κ_i^now)}, κ^now the current completions per unit CPU
 *       (which already reflects lost instances, F3, or slower service, F2). Excess requests are refused
 *       at once instead of queueing until their callers time out and retry (the thread-exhaustion path
 *       of a cascade). Renewed while overloaded or while the limit refuses more than 2% of arrivals.</li>
 *   <li><b>Surge at an entry → shed at the source</b> (no risk gate: the evidence is direct). An
 *       entry (baseline external arrivals at least {@link #MIN_ENTRY_RATE}/s and more than half its
 *       arrivals) whose fast external arrivals exceed {@link Config#surgeRatio} × baseline and the
 *       baseline by 3 Poisson standard deviations for {@link #SURGE_PERSIST_SEC} seconds is shed with
 *       fraction {@code 1 − shedTarget · baseline / ext}, capped at 0.9 (Motter's "load shedding at
 *       traffic sources"). Renewed while the surge lasts. Off by default ({@link Config#sheds}).</li>
 *   <li><b>Retry budget per edge</b> (no risk gate; {@link Config#retryBudgets}): an edge whose attempts
 *       fail while their rate is amplified above its calm baseline is rate-limited at 1.1 × that
 *       baseline, times the caller's own traffic growth, so retries above the normal call rate fail at
 *       the caller at once (B3's lever); see
 *       {@code retryBudgets}.</li>
 *   <li><b>Adaptive throttle per edge</b> (no risk gate; {@link Config#throttleK}, 0 = off): an edge whose
 *       callee answers fewer than 1/K of its attempts (fast attempts &gt; K × fast successes + 1) is
 *       rate-limited at K × its fast successes per second: the 1-s, per-edge form of the client-side
 *       adaptive throttling of the SRE book (B3's {@code p_reject = max(0, (requests − K·accepts) /
 *       (requests + 1))}, same K = 2). Attempts that a failing callee would mostly refuse or time out
 *       on fail at the caller at once. Where rule 3 also limits the edge, the lower limit is issued.</li>
 * </ol>
 * Rules 3 and 4 limit only edges into an agent under pressure ({@code underPressure}: its threads or
 * CPU saturated, a queue, or an instance down). Refusing calls protects a callee only when load is
 * what it suffers from. Failures from an agent that has spare threads and CPU, no queue and all its
 * instances come from elsewhere: a quota (an LLM provider's token bucket, whose 429s its clients are
 * meant to retry after a back-off), or a failure further down the chain, whose own edge is limited
 * where the pressure is. Limiting such edges made b3-debate's and b2-pipe's cascades larger than
 * under no protection (docs/predictor.md).
 * Every action lasts {@link Config#durationMs}; it is re-issued at most every {@link Config#renewSec}
 * seconds unless its parameter moved (rate by 20%, shed fraction by 0.15); when its condition
 * clears it is not renewed and expires: the revert. The policy never isolates and never opens a
 * breaker: refusing the excess keeps the agent serving what it can.
 *
 * <p>Deterministic (no randomness). Missing rows and NaN metrics are skipped for that second.
 */
public final class PreventionPolicy {
  /**
   * Policy parameters.
   *
   * @param warmupSec seconds of learning before the first action
   * @param cpuSaturated CPU utilisation at which an agent counts as saturated (rule 1), and thread or CPU
   *     utilisation at which a callee counts as under pressure (rules 3 and 4)
   * @param latencyFactor p99 / baseline p99 that, with a saturated CPU, marks overload
   * @param growthSec consecutive seconds of queue growth that, with a saturated CPU, mark overload
   * @param headroom rate-limit rps as a fraction of the current capacity estimate
   * @param surgeRatio external arrivals / baseline that marks a surge at an entry
   * @param shedTarget the shed keeps external arrivals at shedTarget × baseline
   * @param durationMs duration of each action
   * @param renewSec seconds between renewals of an action whose condition holds
   * @param riskGate model risk at or above which mild evidence acts
   * @param learnRate EWMA weight of the baselines per second
   * @param minPass a rate limit passes at least this fraction of the agent's current arrivals (0.6: our
   *     own refusals never push an agent's success ratio under the FAILED line of 0.5 by themselves)
   * @param maxShed the largest shed fraction (0.4: an entry is never made FAILED by our shedding)
   * @param rateLimits whether rule 1 runs (ablation switch)
   * @param sheds whether rule 2 runs (ablation switch)
   * @param retryBudgets whether rule 3 (per-edge retry budgets) runs
   * @param throttleK rule 4's K: an edge is limited at K × its successes when its attempts exceed that;
   *     0 switches rule 4 off, otherwise ≥ 1
   * @param latencyWindows whether rules 3 and 4 judge an edge's failure ratio over its callee's calm
   *     residence time (Little: in flight / arrivals) instead of the fast 3-s window, when the callee
   *     takes longer than that; on by default since 2026-11-27 ({@link #withLatencyWindows})
   */
  public record Config(int warmupSec, double cpuSaturated, double latencyFactor, int growthSec, double headroom, double surgeRatio, double shedTarget, long durationMs, int renewSec,
      double riskGate, double learnRate, double minPass, double maxShed, boolean rateLimits, boolean sheds, boolean retryBudgets,
      double throttleK, boolean latencyWindows) {
    public Config {
      if (warmupSec < 0 || !(cpuSaturated > 0 && cpuSaturated <= 1) || !(latencyFactor >= 1)
          || growthSec < 1 || !(headroom > 0 && headroom <= 1)
          || !(surgeRatio > 1) || !(shedTarget >= 1 && shedTarget < surgeRatio) || durationMs <= 0 || renewSec < 1
          || !(riskGate >= 0 && riskGate <= 1) || !(learnRate > 0 && learnRate <= 1) || !(minPass >= 0 && minPass <= 1)
          || !(maxShed >= 0 && maxShed <= 1) || !(throttleK == 0 || (throttleK >= 1 && throttleK < Double.POSITIVE_INFINITY))) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
            "bad prevention policy config: warmupSec=%d cpuSaturated=%s latencyFactor=%s"
                + " growthSec=%d headroom=%s surgeRatio=%s shedTarget=%s durationMs=%d renewSec=%d riskGate=%s learnRate=%s"
                + " minPass=%s maxShed=%s throttleK=%s",
            warmupSec, cpuSaturated, latencyFactor, growthSec, headroom, surgeRatio, shedTarget,
            durationMs, renewSec, riskGate, learnRate, minPass, maxShed, throttleK));
      }
    }

    /** This configuration with rule 2 (surge shedding) switched on or off. */
    public Config withSheds(boolean on) {
      return new Config(warmupSec, cpuSaturated, latencyFactor, growthSec, headroom, surgeRatio, shedTarget, durationMs,
          renewSec, riskGate, learnRate, minPass, maxShed, rateLimits, on, retryBudgets, throttleK, latencyWindows);
    }

    /** This configuration with rule 3 (per-edge retry budgets) switched on or off. */
    public Config withRetryBudgets(boolean on) {
      return new Config(warmupSec, cpuSaturated, latencyFactor, growthSec, headroom, surgeRatio, shedTarget, durationMs,
          renewSec, riskGate, learnRate, minPass, maxShed, rateLimits, sheds, on, throttleK, latencyWindows);
    }

    /**
     * The first 12 hex digits of the SHA-256 of {@link #REVISION} and this configuration's text: a
     * version of the policy for run manifests (two runs of different policies must not name the same
     * SUT version).
     */
    public String fingerprint() {
      try {
        String text = "revision " + REVISION + " " + this;
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(h, 0, 6);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }

    /** This configuration with rule 4 (per-edge adaptive throttle) at {@code k}, or off with 0. */
    public Config withThrottleK(double k) {
      return new Config(warmupSec, cpuSaturated, latencyFactor, growthSec, headroom, surgeRatio, shedTarget, durationMs,
          renewSec, riskGate, learnRate, minPass, maxShed, rateLimits, sheds, retryBudgets, k, latencyWindows);
    }

    /**
     * The defaults the CPB arm {@code aura} runs with: rule 1 on, rule 2 (surge shedding) off. On the
     * headline cell (seeds 11–18, s = 2.83) both rules gave mean S 0.0803 and rule 1 alone 0.0798
     * against B0's 0.0815, while rule 2 alone shed at agents whose callers the view misses (they look
     * like entries) and once shed for 700 s without a surge; see docs/predictor.md. Rule 4 runs with
     * the SRE book's K = 2 (B3's), not a fitted value. Latency windows are on: measured first as the
     * arm {@code aura-latency}, on every cell's test seeds and all 1 000 headline test seeds, before
     * they became the default (docs/predictor.md); {@code aura-no-latency} runs without them.
     */
    public static Config defaults() {
      return new Config(300, 0.9, 3.0, 3, 0.85, 1.3, 1.1, 15_000, 5, 0.3, 0.02, 0.6, 0.4, true, false, true, 2.0, true);
    }

    /**
     * This configuration with latency windows for rules 3 and 4 on or off. Rules 3 and 4 compare the
     * attempts and failures an edge counts in the same seconds. When the callee answers within the fast
     * window (about 3 s) those are the same calls. When it takes minutes (an LLM pipeline stage with
     * hundreds in flight), a second's failures belong to attempts made long before, and a burst of
     * nested timeouts (more failures than attempts) reads as a callee that answers nothing. With the
     * windows on, an edge's failure ratio is an EWMA of weight min(0.3, 1 / τ) with τ its callee's calm
     * residence time in seconds (in flight / arrivals, Little's law); rule 4's successes are the fast
     * attempts times the answered share over that window. On edges into callees with τ ≤ 3.3 s nothing
     * changes. On by default; the arm {@code aura-no-latency} switches them off (docs/predictor.md).
     */
    public Config withLatencyWindows(boolean on) {
      return new Config(warmupSec, cpuSaturated, latencyFactor, growthSec, headroom, surgeRatio, shedTarget, durationMs,
          renewSec, riskGate, learnRate, minPass, maxShed, rateLimits, sheds, retryBudgets, throttleK, on);
    }
  }

  /**
   * The revision of the rules' code, part of {@link Config#fingerprint}: raise it with every change
   * that changes what the policy decides under the same configuration. 2: rules 3 and 4 limit only
   * edges into an agent under pressure (2026-11-27). Before it was added, the fingerprint hashed the
   * configuration alone, so runs of revision 1 and 2 with the defaults both say policy-462e90f99fc8;
   * their manifests' git SHAs tell them apart. 3: a down instance counts as pressure for
   * {@link #EJECT_SEC} seconds after it went down, not for as long as it stays down (2026-11-29).
   */
  public static final int REVISION = 3;

  /**
   * Seconds a crashed instance keeps receiving calls, which then wait for the connect timeout: the load
   * balancer ejects it after 3 failed 5-s health checks (spec D3). After that the agent's calls go to
   * the instances still up, and an agent with none left refuses them at once, as our limit would.
   */
  static final long EJECT_SEC = 15;
  /** EWMA weight of the fast (about 3-s) signals the rules test. */
  static final double FAST = 0.3;
  /** Agents with fewer baseline arrivals per second are never acted on. */
  static final double MIN_RATE = 2.0;
  /** EWMA weight of the baselines during the warm-up (after the first 1/weight seconds, which are averaged). */
  static final double WARMUP_RATE = 0.02;
  /** An entry needs this many baseline external arrivals per second before a surge is judged. */
  static final double MIN_ENTRY_RATE = 5.0;
  /** Fraction of refused or failed inbound attempts (fast EWMA) that counts as harm. */
  static final double HARM = 0.05;
  /** Largest error ratio at which a surge may start counting (see {@link #decide}). */
  static final double SURGE_MAX_ERRORS = 0.1;
  /** Fast failure ratio of an edge's attempts at which rule 3 considers it failing. */
  static final double EDGE_FAILING = 0.2;
  /** Fast attempts / calm baseline at which an edge's traffic counts as amplified by retries. */
  static final double EDGE_AMPLIFIED = 1.3;
  /** Rule 3's rate limit as a multiple of the edge's calm attempt rate. */
  static final double EDGE_BUDGET = 1.1;
  /** Seconds a surge must persist before the entry is shed. */
  static final int SURGE_PERSIST_SEC = 5;

  private final Config cfg;
  private final LiveModel model;
  private final int n;
  private final double[] baseArr;
  private final double[] baseExt;
  private final double[] baseP99;
  private final double[] basePerCpu;
  private final double[] fastHarm;
  private final double[] fastCpu;
  private final double[] fastExt;
  private final double[] fastArr;
  private final double[] fastP99;
  /** Fast EWMA of the agent's thread utilisation. */
  private final double[] fastThreads;
  /** The most healthy instances seen per agent, and the count in the last second (-1 before the first). */
  private final int[] maxUp;
  private final int[] lastUp;
  /** The second an agent's healthy-instance count last fell. */
  private final long[] lostAt;
  /**
   * Whether the agent's down instances may still hold its callers: its healthy-instance count is not
   * reported, or it fell within the last {@link #EJECT_SEC} seconds.
   */
  private final boolean[] downHolds;
  private final int[] surgeRun;
  private final int[] growth;
  private final int[] lastQueue;
  private final long[] rlRenewAt;
  private final long[] rlUntil;
  private final double[] rlRps;
  private final long[] shedRenewAt;
  private final long[] shedUntil;
  private final double[] shedFrac;
  private final double[] edgeBaseAtt;
  /** The limit rule 3 or 4 last issued on each edge (attempts/s). */
  private final double[] edgeLimitInForce;
  private final double[] edgeFastAtt;
  private final double[] edgeFastFail;
  /** Calm in-flight calls per agent (with baseArr, the calm residence time by Little's law). */
  private final double[] baseInFlight;
  /** {@link #latencyWeight} per agent, filled once per {@link #edgeLimits} call (one read per edge, not two). */
  private final double[] latWeight;
  /** Each edge's attempts and failures over its callee's calm residence time (EWMA of weight {@link #latencyWeight}). */
  private final double[] edgeLatAtt;
  private final double[] edgeLatFail;
  private final long[] edgeRenewAt;
  private final long[] edgeUntil;
  private long steps;
  private double lastEntryFast;
  private double lastEntryBase;

  /** A policy over {@code model}'s graph (the same model the guard feeds; the policy only reads it). */
  public PreventionPolicy(LiveModel model, Config cfg) {
    this.model = Objects.requireNonNull(model, "model");
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    n = model.agentCount();
    baseArr = new double[n];
    baseExt = new double[n];
    baseP99 = new double[n];
    basePerCpu = new double[n];
    fastHarm = new double[n];
    fastCpu = new double[n];
    fastExt = new double[n];
    fastArr = new double[n];
    fastP99 = new double[n];
    fastThreads = new double[n];
    maxUp = new int[n];
    lastUp = new int[n];
    java.util.Arrays.fill(lastUp, -1);
    lostAt = new long[n];
    downHolds = new boolean[n];
    java.util.Arrays.fill(downHolds, true); // nothing seen yet: what the policy cannot see counts as pressure
    surgeRun = new int[n];
    growth = new int[n];
    lastQueue = new int[n];
    rlRenewAt = new long[n];
    rlUntil = new long[n];
    rlRps = new double[n];
    shedRenewAt = new long[n];
    shedUntil = new long[n];
    shedFrac = new double[n];
    int m = model.edgeCount();
    edgeBaseAtt = new double[m];
    edgeLimitInForce = new double[m];
    edgeFastAtt = new double[m];
    edgeFastFail = new double[m];
    baseInFlight = new double[n];
    latWeight = new double[n];
    edgeLatAtt = new double[m];
    edgeLatFail = new double[m];
    edgeRenewAt = new long[m];
    edgeUntil = new long[m];
    Arrays.fill(edgeUntil, Long.MIN_VALUE);
    Arrays.fill(rlUntil, Long.MIN_VALUE);
    Arrays.fill(shedUntil, Long.MIN_VALUE);
  }

  /**
   * The actions for this control period.
   *
   * @param s the snapshot the model was just updated with
   * @param risk the model's risk for the snapshot, in [0, 1]
   */
  public List<Action> decide(TelemetrySnapshot s, double risk) {
    long t = s.timeSec();
    steps++;
    boolean gate = risk >= cfg.riskGate();
    boolean acting = steps > cfg.warmupSec();
    List<Action> out = new ArrayList<>();
    // a surge is judged on all entries together (last second's totals): an agent whose callers the view
    // misses looks like an entry, and its "external" traffic moves with its hidden callers, not with users
    boolean systemSurge = lastEntryBase >= MIN_ENTRY_RATE && lastEntryFast > cfg.surgeRatio() * lastEntryBase;
    double entryFast = 0;
    double entryBase = 0;
    long durSec = cfg.durationMs() / 1000;
    for (int i = 0; i < n; i++) {
      int arr = at(s.arrivals(), i);
      int ok = at(s.successes(), i);
      int err = at(s.errors(), i);
      int rej = at(s.rejected(), i);
      int q = at(s.queueLength(), i);
      int inFlight = at(s.inFlight(), i);
      double cpu = at(s.cpuUtilisation(), i);
      double p99 = at(s.p99LatencyMs(), i);
      if (arr < 0 || ok < 0 || err < 0 || rej < 0 || q < 0 || Double.isNaN(cpu) || Double.isNaN(p99)) {
        continue; // a missing row: nothing learned, nothing decided for this agent this second
      }
      double inAtt = model.inAttempts(i); // attempts and failures on the agent's visible in-edges this second
      double inFail = model.inFailures(i);
      double ext = Math.max(0, arr - inAtt);
      growth[i] = q > lastQueue[i] ? growth[i] + 1 : (q < lastQueue[i] ? 0 : growth[i]);
      lastQueue[i] = q;
      fastCpu[i] += FAST * (cpu - fastCpu[i]);
      fastExt[i] += FAST * (ext - fastExt[i]);
      fastArr[i] += FAST * (arr - fastArr[i]);
      if (p99 > 0) {
        fastP99[i] += FAST * (p99 - fastP99[i]);
      }
      double threads = at(s.threadUtilisation(), i);
      if (!Double.isNaN(threads)) {
        fastThreads[i] += FAST * (threads - fastThreads[i]);
      }
      int up = at(s.healthyInstances(), i);
      maxUp[i] = Math.max(maxUp[i], up);
      if (up >= 0 && lastUp[i] >= 0 && up < lastUp[i]) {
        lostAt[i] = t;
      }
      lastUp[i] = up;
      downHolds[i] = up < 0 || (up < maxUp[i] && t - lostAt[i] < EJECT_SEC);
      double completed = Math.max(0, ok + err - rej);
      boolean limited = rlUntil[i] > t || shedUntil[i] > t;
      boolean saturated = fastCpu[i] >= cfg.cpuSaturated();
      if (!acting) {
        learn(i, arr, ext, p99, cpu, completed, inFlight, Math.max(1.0 / steps, WARMUP_RATE)); // warm-up: every second counts
        continue;
      }
      boolean calm = !limited && fastP99[i] <= 2 * baseP99[i] && err <= 0.05 * Math.max(1, arr)
          && fastExt[i] <= 1.15 * baseExt[i] + 1;
      if (calm) {
        learn(i, arr, ext, p99, cpu, completed, inFlight, cfg.learnRate());
      }
      if (baseArr[i] < MIN_RATE) {
        continue; // too little traffic to judge (and to ever count as FAILED: the rule needs 10 requests in 10 s)
      }
      // the harm an overloaded agent does: admission rejections, or its callers' attempts failing (timeouts)
      double harm = Math.max(rej / Math.max(1.0, arr), inAtt >= 5 ? inFail / inAtt : 0);
      fastHarm[i] += FAST * (harm - fastHarm[i]);
      // rule 1: an overloaded root gets an inbound rate limit at its current capacity
      double slow = baseP99[i] > 0 ? fastP99[i] / baseP99[i] : 0;
      boolean overloaded = saturated && fastHarm[i] >= HARM && (growth[i] >= cfg.growthSec() || slow >= cfg.latencyFactor());
      boolean stillRefusing = rlUntil[i] > t && rej > 0.02 * Math.max(1, arr);
      if (cfg.rateLimits() && ((overloaded && gate) || stillRefusing)) {
        double perCpu = cpu > 0.3 && completed > 0 ? completed / cpu : basePerCpu[i];
        double rps = Math.max(cfg.headroom() * perCpu, cfg.minPass() * fastArr[i]);
        if (rps > 0 && (t >= rlRenewAt[i] || Math.abs(rps - rlRps[i]) > 0.2 * Math.max(rlRps[i], 1))) {
          out.add(new Action.RateLimit(i, -1, rps, cfg.durationMs()));
          rlRps[i] = rps;
          rlRenewAt[i] = t + cfg.renewSec();
          rlUntil[i] = t + durSec;
        }
      } else if (rlUntil[i] <= t) {
        rlRps[i] = 0;
      }
      // rule 2: a surge at an entry is shed at the source
      boolean entry = baseExt[i] > 0.5 * baseArr[i] && baseExt[i] >= MIN_ENTRY_RATE;
      double noise = 3 * Math.sqrt(baseExt[i] * FAST / (2 - FAST)); // 3 sd of a Poisson rate under the fast EWMA
      if (entry) {
        entryFast += fastExt[i];
        entryBase += baseExt[i];
      }
      boolean surging = entry && systemSurge && fastExt[i] > cfg.surgeRatio() * baseExt[i] && fastExt[i] - baseExt[i] > noise;
      // a surge starts clean: more traffic while the agent still serves it. Extra "external" arrivals
      // at an agent that is already failing are its callers' retries over an edge the view misses.
      boolean clean = err <= SURGE_MAX_ERRORS * Math.max(1, arr);
      surgeRun[i] = surging && (surgeRun[i] > 0 || clean) ? surgeRun[i] + 1 : 0;
      if (cfg.sheds() && surgeRun[i] >= SURGE_PERSIST_SEC) {
        double f = Math.min(cfg.maxShed(), Math.max(0, 1 - cfg.shedTarget() * baseExt[i] / fastExt[i]));
        if (round2(f) > 0 && (t >= shedRenewAt[i] || Math.abs(f - shedFrac[i]) > 0.15)) {
          out.add(new Action.Shed(i, round2(f), cfg.durationMs()));
          shedFrac[i] = f;
          shedRenewAt[i] = t + cfg.renewSec();
          shedUntil[i] = t + durSec;
        }
      }
    }
    if (cfg.retryBudgets() || cfg.throttleK() > 0) {
      edgeLimits(t, acting, out);
    }
    lastEntryFast = entryFast;
    lastEntryBase = entryBase;
    return out;
  }

  /**
   * Rules 3 and 4, the per-edge limits. Rule 3, a retry budget per edge: an edge whose attempts fail (fast failure ratio ≥
   * {@link #EDGE_FAILING}) while its attempt rate is amplified (fast attempts ≥ {@link #EDGE_AMPLIFIED} ×
   * its calm baseline) gets {@code RateLimit(caller, callee, max(1, EDGE_BUDGET · baseline · load))}, with
   * load = max(1, the caller's arrivals / its calm arrivals) ({@link #edgeLimit}): the
   * caller's retries above its normal call rate fail at once instead of loading a callee that is
   * already failing (the lever of B3's 10% retry budget, spec 5). Rule 4, an adaptive throttle: an edge
   * whose fast attempts exceed K × its fast successes + 1 gets {@code RateLimit(caller, callee, max(1, K ·
   * successes))} (B3's client-side throttle, per edge and per second). An edge both rules limit gets the
   * lower limit. Both are renewed every {@link Config#renewSec} seconds while their condition holds,
   * and both act only on edges into an agent under pressure ({@link #underPressure}).
   */
  private void edgeLimits(long t, boolean acting, List<Action> out) {
    int m = model.edgeCount();
    if (cfg.latencyWindows()) {
      for (int j = 0; j < n; j++) {
        latWeight[j] = latencyWeight(j);
      }
    }
    for (int e = 0; e < m; e++) {
      double att = model.edgeAttempts(e);
      double fail = model.edgeFailures(e);
      boolean limited = edgeUntil[e] > t;
      if (limited && att > 0 && fail > 0) {
        // the edge's counts include the attempts our own limit refused (a refusal is a failed
        // attempt): judge the callee by the attempts that got through, or the limit's refusals
        // alone keep renewing it (a benign ALI-1000 episode lost 3 points of availability so)
        double refused = Math.min(fail, Math.max(0, att - edgeLimitInForce[e]));
        att -= refused;
        fail -= refused;
      }
      edgeFastAtt[e] += FAST * (att - edgeFastAtt[e]);
      edgeFastFail[e] += FAST * (fail - edgeFastFail[e]);
      double ratio = edgeFastAtt[e] > 0 ? edgeFastFail[e] / edgeFastAtt[e] : 0;
      // the failure ratio rules 3 and 4 judge: over the callee's latency when it is longer than the fast window
      boolean slowCallee = false;
      if (cfg.latencyWindows()) { // kept only when used: the default policy does no per-edge work for it
        double w = latWeight[model.callee(e)];
        edgeLatAtt[e] += w * (att - edgeLatAtt[e]);
        edgeLatFail[e] += w * (fail - edgeLatFail[e]);
        slowCallee = w < FAST;
      }
      double judged = !slowCallee ? ratio : edgeLatAtt[e] > 0 ? edgeLatFail[e] / edgeLatAtt[e] : 0;
      if (!acting) {
        edgeBaseAtt[e] += Math.max(1.0 / steps, WARMUP_RATE) * (att - edgeBaseAtt[e]);
        continue;
      }
      if (!limited && ratio < 0.05) {
        edgeBaseAtt[e] += cfg.learnRate() * (att - edgeBaseAtt[e]);
      }
      if (edgeBaseAtt[e] < MIN_RATE) {
        continue;
      }
      boolean budget = cfg.retryBudgets()
          && ((judged >= EDGE_FAILING && edgeFastAtt[e] >= EDGE_AMPLIFIED * edgeBaseAtt[e]) || (limited && judged >= EDGE_FAILING / 2));
      // successes are unaffected by the refusal correction above: a refusal is a failed attempt
      double successes = slowCallee ? edgeFastAtt[e] * Math.max(0, 1 - judged) : Math.max(0, edgeFastAtt[e] - edgeFastFail[e]);
      double k = cfg.throttleK();
      boolean throttle = k > 0 && edgeFastAtt[e] > k * successes + 1;
      // both rules act only on an edge into an agent under pressure; asked last, since it reads four
      // arrays at the callee, scattered (at 1e5 agents it took decide() from 4 to 11 ms once acting)
      if ((budget || throttle) && t >= edgeRenewAt[e] && underPressure(model.callee(e))) {
        double limit = budget ? edgeLimit(e) : Double.POSITIVE_INFINITY;
        if (throttle) {
          limit = Math.min(limit, Math.max(1.0, k * successes));
        }
        edgeLimitInForce[e] = limit;
        out.add(new Action.RateLimit(model.caller(e), model.callee(e), edgeLimitInForce[e], cfg.durationMs()));
        edgeRenewAt[e] = t + cfg.renewSec();
        edgeUntil[e] = t + cfg.durationMs() / 1000;
      }
    }
  }

  /**
   * Whether agent i is under pressure, so that refusing calls to it can help it: its threads or CPU are
   * saturated (fast EWMA at least {@link Config#cpuSaturated}), its latest report shows a queue, or one
   * of its instances went down within the last {@link #EJECT_SEC} seconds (calls to a crashed instance
   * hold their callers until the connect timeout, until the load balancer ejects it). Once the down
   * instances are ejected, an agent with instances left is judged by their threads, CPU and queue, and
   * one with none left (whose threads read as all busy) refuses every call at once: a limit on its
   * edges would refuse the same calls, at the same moment, only charged to the protection (an F3
   * episode that took every instance of its target renewed its callers' limits for the 1 000 s to the
   * episode's end). An agent that fails calls without any of these fails them for a reason fewer calls
   * would not cure: a quota, whose refusals cost it nothing and which its clients retry after a back-off, or a
   * failing callee of its own, whose edge rules 3 and 4 limit instead. On b2-pipe the limits on every
   * stage's hand-off refused whole pipeline tasks behind one failing stage, while the stages were
   * neither saturated nor queueing, and made cascades larger than no protection (R_size 0.606,
   * docs/predictor.md).
   *
   * <p>What the policy cannot see counts as pressure, so the edges into such an agent keep rule 3 and 4
   * as before: an agent that has never sent a complete row, or whose healthy-instance count is not
   * reported, is under pressure. A missing row keeps the agent's last
   * values. A live agent that reports nothing still gets its callers' edges throttled when they fail
   * (docs/api.md).
   */
  private boolean underPressure(int i) {
    if (downHolds[i]) {
      return true;
    }
    if (lastUp[i] == 0) {
      return false; // no instance left, ejected: it refuses every call at once (its threads read as all busy)
    }
    return fastThreads[i] >= cfg.cpuSaturated() || fastCpu[i] >= cfg.cpuSaturated() || lastQueue[i] > 0;
  }

  /**
   * The EWMA weight of an edge into agent j for the latency windows: min({@link #FAST}, 1 / τ_j), with
   * τ_j = calm in flight / calm arrivals (seconds, Little's law), at least 1 s.
   */
  private double latencyWeight(int j) {
    double tau = baseArr[j] > 0 ? baseInFlight[j] / baseArr[j] : 0;
    return Math.min(FAST, 1.0 / Math.max(1.0, tau));
  }

  /**
   * Rule 3's limit on edge e in attempts/s: 1.1 × the edge's calm attempt rate, scaled up by its
   * caller's own traffic against the caller's calm rate (never down). The caller's first attempts grow
   * with its traffic, and a budget is for retries: a limit at the calm rate refused half of a surge's
   * first attempts and cost DSB-SN availability (docs/predictor.md). The limit in force is kept in
   * {@link #edgeLimitInForce}.
   */
  private double edgeLimit(int e) {
    int c = model.caller(e);
    double load = baseArr[c] > 0 ? Math.max(1.0, fastArr[c] / baseArr[c]) : 1.0;
    return Math.max(1.0, EDGE_BUDGET * edgeBaseAtt[e] * load);
  }

  private void learn(int i, int arr, double ext, double p99, double cpu, double completed, int inFlight, double a) {
    baseArr[i] += a * (arr - baseArr[i]);
    if (inFlight >= 0) {
      baseInFlight[i] += a * (inFlight - baseInFlight[i]);
    }
    baseExt[i] += a * (ext - baseExt[i]);
    if (p99 > 0) {
      baseP99[i] = baseP99[i] == 0 ? p99 : baseP99[i] + a * (p99 - baseP99[i]);
    }
    if (cpu > 0.05 && completed > 0) {
      double perCpu = completed / cpu;
      basePerCpu[i] = basePerCpu[i] == 0 ? perCpu : basePerCpu[i] + a * (perCpu - basePerCpu[i]);
    }
  }

  private static double round2(double f) {
    return Math.round(f * 100) / 100.0;
  }

  private static int at(int[] a, int i) {
    return a != null && i < a.length ? a[i] : -1;
  }

  private static double at(double[] a, int i) {
    return a != null && i < a.length ? a[i] : Double.NaN;
  }
}

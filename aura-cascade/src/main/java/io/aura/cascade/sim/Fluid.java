package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * D3-fluid: the time-stepped mean-field model of spec section 3 D3, for the scale runs where one
 * request at a time is too slow. It reads the same provisioned {@link SimTopology} and
 * {@link EpisodeParams} as {@link Des} and draws the same fault (kind, t_f, target) from the same
 * {@code fault} stream ({@link FaultDraw}), so a DES episode and a fluid episode of one seed are
 * paired (the spec's cross-validation: paired |S_fluid − S_DES| ≤ 0.05 in ≥ 90% of episodes on
 * N ≤ 2 000; {@link FluidValidation}).
 *
 * <p><b>State.</b> Per agent: queued requests q_i (all instances together; the load balancer spreads
 * evenly, so instances are symmetric), the rate s_i at which requests start on a thread, the
 * response time R_i, the caller-visible latency T̄_i, the share of arrivals refused p_i^rej and the
 * request failure probability p_i^err; per instance: up, down (crashed, still routed to until the
 * load balancer ejects it 15 s later) or ejected, and its warm-up. Per edge: the attempt failure
 * probability p_e, the reach (the probability that a request still gets to the edge: an invocation
 * that exhausts its attempts skips the request's later calls) and the retry flow.
 *
 * <p><b>One step of Δt</b> (0.1 s; every coupling term uses the previous step's values, so the
 * order of agents is irrelevant):
 * <ul>
 *   <li>entry traffic {@code ℓ λ^d_ext (1 + a sin(2πt/600)) × surge}; first attempts on edge j→i
 *       {@code s_j · m̃ π · reach}, m̃ the invocations a request makes ({@code m̄} for parallel and async
 *       edges; {@code E[(1 − (1 − x)^M) / x]} for a sequential one whose invocation exhausts its attempts
 *       with probability x, as the DES stops at the first that does); retries {@code r_e}, relaxed towards
 *       {@code first · (p + … + p^{A−1})} with the time constant {@code E[min(T_i, τ)] + w} (the mean
 *       time from an attempt to its retry: the spec's "ring of future retry volume" as a first-order
 *       delay); async edges carry first attempts only (they are not retried);</li>
 *   <li>admission: a token bucket if the agent has one; the share of calls routed to a crashed,
 *       not yet ejected instance fails after the connect timeout (holding the caller min(1 s, τ), step 4);
 *       threads serve {@code μ_i = c_i^eff / R_i} with {@code c_i^eff = c_i r_i^up}: the spec's warm-up
 *       factor w(t) ramps the restarted instance's cores (CPU below), not its threads, as in the DES;
 *       the rest queues up to {@code Q_i · r_i^up} and is rejected beyond;</li>
 *   <li>CPU: {@code ρ = s_i d_i κ / Σ_up k w}; own time {@code d_i κ / (min(1, k w) (1 − min(ρ, 0.99)))}
 *       (processor sharing on a quota: a lone request runs at min(1, k), as in the DES and in the
 *       design response time), the full-speed {@code d_i} for a latency-bound agent;</li>
 *   <li>{@code R_i = r_i = own + Σ_sync m̃ π reach (E[#att] E[min(T_k, τ)] + (E[#att] − 1) w)}, where a
 *       parallel group contributes {@code reach · E[max]} over its invocations instead of the sum
 *       ({@link FanOut}, each invocation exponential with the mean above), with
 *       {@code E[#att] = (1 − p^A)/(1 − p)}, w the backoff's mean wait per retry made
 *       ({@link #meanRetryWaitNs}) and {@code E[min(T, τ)] = T̄ (1 − e^{−τ/T̄})};
 *       {@code T̄_i = q_i R_i / c_i^eff + R_i} (with no instance up: the 1-s connect timeout while a
 *       crashed one is still routed to, a refusal at once after ejection); the R of an agent with a
 *       parallel group follows r_i with the time constant max(R_i, r_i) instead (its requests ending
 *       now started up to R ago);</li>
 *   <li>{@code p_e = 1 − (1 − p_i^rej)(1 − e^{−τ_e/T̄_i})(1 − p_i^err)},
 *       {@code p_i^err = 1 − (1 − ε_i) Π_sync (1 − p_e^A)^{m̄ π}}.</li>
 * </ul>
 *
 * <p><b>Every second</b> (the DES's control tick): the crash rule (an agent's per-instance queue,
 * averaged over the second, ≥ max(1, ⌊0.99 Q⌋) for 10 consecutive seconds crashes its up instances
 * — they are symmetric, so all of them — and their queued requests fail, and so do the callers'
 * requests held on attempts at it (the share of each caller's R spent in attempts on a sequential
 * edge into it: the DES resets those attempts, and with nothing up the retries fail); each restarts after
 * U(20, 40) s from stream {@code restart}, its cores ramping from 1/3 to 1 over 30 s); the FAILED
 * rule of D3 (success ratio over the trailing 10 s &lt; 0.5 with ≥ 10 expected requests, or ≥ half
 * the instances down); S, S_peak, U and the onsets as in {@link Des}. Availability is the expected
 * share of entry requests arriving in [t_f, T] that are admitted and succeed.
 *
 * <p><b>The guard</b> (optional, {@link Episode#runFluid(SimTopology, EpisodeParams, CascadeGuard, long,
 * double)}): every second it sees a {@link TelemetrySnapshot} of the model's expectations through the
 * DES's {@link GuardView} (with quantised noise factors); counts are the second's expected requests rounded at random to a neighbouring
 * integer, latency quantiles come from the mean and variance of T̄. Its actions take effect δ_act
 * later: a breaker, isolation or edge rate limit refuses its share b of a caller's attempts at once
 * (they fail, take no time and are retried, so the caller sees 1 − (1 − b)(1 − p_e), and the callee
 * gets (1 − b) of them); isolation refuses the agent's entry traffic, shedding and an inbound rate limit
 * refuse at admission, ahead of the agent's own token bucket; the FAILED rule counts isolation, shedding
 * ≥ 90% and ≥ 90% of an agent's inbound attempts refused by the SUT over 10 s, as the DES does. Without
 * an action in force every value is the B0 one bit for bit.
 *
 * <p><b>Not modelled</b>: the in-simulator baselines (B0 only), and the DES's skipping of a synchronous
 * call back into an agent already on the request's path. The trace hash is a
 * SHA-256 over every agent's queue, start rate, instances up and FAILED state at each second.
 */
final class Fluid {
  private static final long NS = 1_000_000_000L;
  private static final double CONNECT_TIMEOUT_SEC = 1.0;
  /** Mean time of a call refused at once (no instance left): positive, for the exponential of step 4. */
  private static final double REFUSAL_SEC = 0.001;
  private static final double EJECT_AFTER_SEC = 15.0;
  private static final double WARMUP_RAMP_SEC = 30.0;
  private static final byte UP = 0;
  private static final byte DOWN = 1;
  private static final byte EJECTED = 2;

  private final SimTopology t;
  private final EpisodeParams p;
  private final FaultMagnitudes mag;
  private final int n;
  private final int nEdges;
  private final double dt;
  private final int stepsPerSec;
  private final SplitMix64 faultRng;
  private final SplitMix64 restartRng;

  // per agent
  private final double[] q;
  private final double[] s;
  private final double[] resp;
  /** Per agent: {@link SimTopology#meanServiceNs}, once (a StrictMath.exp per agent and step was 8% of a step at 1e6). */
  private final double[] meanServiceNs;
  /** Per agent: whether it has a parallel call group (its R is relaxed, see step 3). */
  private final boolean[] fanOut;
  private final double[] tbar;
  private final double[] pRej;
  /**
   * Per agent: the share of its admitted attempts routed to a crashed instance not yet ejected while
   * another is up; they fail after the connect timeout (step 4). 0 without such an instance.
   */
  private final double[] downShare;
  /** Per agent: requests holding a thread (started, not yet ended). */
  private final double[] busy;
  private final double[] pErr;
  private final double[] tokens;
  private final double[] mbar;
  /**
   * Per edge, the expected invocations of a request that invokes it: m̄ for async and parallel edges
   * (all leave), and for a sequential edge E[(1 − (1 − x)^M) / x] with x its chance of exhausting the
   * attempts, since the DES stops at the first invocation that exhausts them (step 3).
   */
  private final double[] seqCalls;
  /**
   * Per sequential edge j→i, the share of the caller's held requests (threads) whose attempt in flight
   * is at i (step 3): when i's last instance crashes they fail at once (connection reset, as in the
   * DES), and with nothing up their remaining attempts fail within seconds, so the requests end.
   */
  private final double[] heldShare;
  /** Edges into each agent, CSR: {@code inEdge[inStart[i] .. inStart[i + 1])}. */
  private final int[] inStart;
  private final int[] inEdge;
  private final double[] inflow;
  private final double[] slow;
  private final double[] errOverride;
  private final double[] qSecSum;
  private final int[] fullSecs;
  /** Per agent, summed over the steps of the current second: admitted arrivals and service rate. */
  private final double[] lamSecSum;
  private final double[] muSecSum;
  /** Per agent: ln P(a 1-s queue average at or above the crash threshold) of the last 10 seconds (ring). */
  private final float[] logAbove;
  /** Per agent: ln P(no crash yet) over the current run of seconds with a full fluid queue. */
  private final double[] logNoCrash;
  private final double[] secSucc;
  private final double[] secErr;
  private final double[] winSucc;
  private final double[] winTot;
  private final boolean[] inF0;
  /** Per agent: ln P(not FAILED at any tick so far), under the tick-independence approximation. */
  private final double[] logSurvive;
  /** Per agent: the chance that it is FAILED at the current tick. */
  private final double[] failedNow;
  private final int[] upCount;
  private final int[] downCount;
  // per instance
  private final int[] instOff;
  private final byte[] instState;
  private final double[] downAt;
  private final double[] restartAt;
  private final double[] warmStart;
  // per edge
  private final double[] pe;
  private final double[] reach;
  private final double[] retry;
  private final int[] attempts;
  private final double[] tvar;
  /** Per edge: E[min(T_callee, τ)], the mean time an attempt holds the caller. */
  private final double[] attemptTime;
  /** Scratch: the mean duration of one invocation of each edge of a parallel group. */
  private final double[] invocationTime;

  private FaultKind faultApplied = FaultKind.NONE;
  private double faultSec;
  private int[] faulted = new int[0];
  private int surgeAgent = -1;
  private double surge = 1.0;
  private double stepSine = 1.0;
  private double faultEndSec = Double.NaN;
  private double entryOffered;
  private double entrySucceeded;
  private double entryLatencySum;
  private double entryLatencyWeight;
  private long crashes;
  private int winPos;
  private final CascadeTrack track = new CascadeTrack();
  private final MessageDigest sha;
  private final ByteBuffer hashBuf;

  // ================================================================== the guard (null: B0 unobserved)
  /** The SUT, or null: then nothing below is allocated and the episode is the plain B0 one. */
  private final CascadeGuard guard;
  private final GuardView view;
  /** Stochastic rounding of the expected per-second counts to the snapshot's integers. */
  private final SplitMix64 roundRng;
  private final double[] riskByCall;
  private final long[] predictNs;
  private int predictCalls;
  /** Per agent, summed over the current second: offered, refused, blocked at the caller, timed-out and downstream-failed. */
  private double[] arrAcc;
  private double[] rejAcc;
  private double[] blkAcc;
  private double[] tmoAcc;
  private double[] downAcc;
  private double[] cpuAcc;
  /** Per agent: attempts towards it (the current second), those refused on their way in by an action, and their 10-s rings. */
  private double[] inAsked;
  private double[] inRefused;
  private double[] winAsked;
  private double[] winRefused;
  /** Per edge: attempts and failed attempts this second, P(an attempt times out) now. */
  private double[] attAcc;
  private double[] failAcc;
  private double[] lateP;
  /** Per edge: attempts per second in the last step (the edge rate limit's demand). */
  private double[] attRate;
  /**
   * Per edge: the share of attempts an action refuses at the caller in this step (breaker, isolation of
   * either end, edge rate limit); such an attempt fails at once and is retried by the caller. Null until
   * the guard's first action takes effect, so that a guard that never acts leaves the B0 episode intact.
   */
  private double[] block;
  /** Per edge: whether this step's refusal is about the callee or the edge (it counts towards the callee's FAILED rule). */
  private boolean[] blockAboutCallee;
  // action state, in simulated seconds (the real ids)
  private double[] isoUntil;
  private double[] brInUntil;
  private double[] brOutUntil;
  private double[] shedUntil;
  private double[] shedFrac;
  private double[] rlInUntil;
  private double[] rlInRate;
  private double[] rlInTokens;
  private double[] brEdgeUntil;
  private double[] rlEdgeUntil;
  private double[] rlEdgeRate;
  private double[] rlEdgeTokens;
  private final List<PendingAction> pending = new java.util.ArrayList<>();
  private final ActiveActions active = new ActiveActions();
  private final List<EpisodeResult.AppliedAction> applied = new java.util.ArrayList<>();

  /** An action the guard returned and the simulated second at which it takes effect. */
  private record PendingAction(double atSec, Action action) {
  }


  Fluid(SimTopology topology, EpisodeParams params, long seed, double dtSec) {
    this(topology, params, seed, dtSec, null);
  }

  /**
   * @param guard the SUT, observed and acting as in the DES (see the class comment), or null for the
   *     plain B0 episode without telemetry
   */
  Fluid(SimTopology topology, EpisodeParams params, long seed, double dtSec, CascadeGuard guard) {
    if (params.baseline() != Baseline.B0) {
      throw new IllegalArgumentException("the fluid model runs B0 only, not " + params.baseline());
    }
    if (!Episode.dividesOneSecond(dtSec)) {
      throw new IllegalArgumentException("the step must divide one second (0.1, 0.5, 1, ...): " + dtSec);
    }
    t = topology;
    p = params;
    mag = params.magnitudes();
    n = t.n;
    nEdges = t.callee.length;
    dt = dtSec;
    stepsPerSec = (int) Math.rint(1 / dtSec);
    faultRng = Streams.stream(seed, "fault");
    restartRng = Streams.stream(seed, "restart");
    q = new double[n];
    s = new double[n];
    resp = new double[n];
    meanServiceNs = new double[n];
    for (int i = 0; i < n; i++) {
      meanServiceNs[i] = t.meanServiceNs(i);
    }
    fanOut = new boolean[n];
    tbar = new double[n];
    pRej = new double[n];
    downShare = new double[n];
    busy = new double[n];
    pErr = new double[n];
    tokens = new double[n];
    inflow = new double[n];
    slow = new double[n];
    Arrays.fill(slow, 1.0);
    errOverride = new double[n];
    Arrays.fill(errOverride, -1.0);
    qSecSum = new double[n];
    fullSecs = new int[n];
    lamSecSum = new double[n];
    muSecSum = new double[n];
    logAbove = new float[n * 10];
    logNoCrash = new double[n];
    secSucc = new double[n];
    secErr = new double[n];
    winSucc = new double[n * 10];
    winTot = new double[n * 10];
    inF0 = new boolean[n];
    logSurvive = new double[n];
    failedNow = new double[n];
    upCount = new int[n];
    downCount = new int[n];
    instOff = new int[n + 1];
    for (int i = 0; i < n; i++) {
      instOff[i + 1] = instOff[i] + t.instances[i];
      upCount[i] = t.instances[i];
      resp[i] = t.designResponseNs[i] * 1e-9;
      for (int e = t.edgeStart[i]; e < t.edgeStart[i + 1]; e++) {
        fanOut[i] |= t.parFirst[e] >= 0;
      }
      tbar[i] = resp[i];
      tokens[i] = t.tokenBurst[i];
    }
    instState = new byte[instOff[n]];
    downAt = new double[instOff[n]];
    restartAt = new double[instOff[n]];
    Arrays.fill(restartAt, Double.POSITIVE_INFINITY);
    warmStart = new double[instOff[n]];
    Arrays.fill(warmStart, Double.NEGATIVE_INFINITY);
    mbar = new double[nEdges];
    seqCalls = new double[nEdges];
    heldShare = new double[nEdges];
    inStart = new int[n + 1];
    inEdge = new int[nEdges];
    for (int e = 0; e < nEdges; e++) {
      inStart[t.callee[e] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      inStart[i + 1] += inStart[i];
    }
    int[] fill = Arrays.copyOf(inStart, n);
    for (int e = 0; e < nEdges; e++) {
      inEdge[fill[t.callee[e]]++] = e;
    }
    pe = new double[nEdges];
    reach = new double[nEdges];
    Arrays.fill(reach, 1.0);
    retry = new double[nEdges];
    attempts = t.maxAttempts.clone();
    for (int e = 0; e < nEdges; e++) {
      mbar[e] = 0.5 * (t.multiplicity[e] + t.multiplicityMax[e]);
      seqCalls[e] = mbar[e];
    }
    tvar = new double[n];
    attemptTime = new double[nEdges];
    invocationTime = new double[nEdges];
    for (int i = 0; i < n; i++) {
      tvar[i] = resp[i] * resp[i];
    }
    for (int e = 0; e < nEdges; e++) {
      attemptTime[e] = expectedMin(resp[t.callee[e]], t.timeoutNs[e] * 1e-9);
    }
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
    hashBuf = ByteBuffer.allocate(8 * (1 + 4 * n));
    this.guard = guard;
    if (guard == null) {
      view = null;
      roundRng = null;
      riskByCall = new double[0];
      predictNs = new long[0];
      return;
    }
    view = new GuardView(t, params.realisticView(), seed, true);
    roundRng = Streams.stream(seed, "fluid/telemetry-rounding");
    riskByCall = new double[(int) params.durationSec()];
    predictNs = new long[(int) params.durationSec()];
    arrAcc = new double[n];
    rejAcc = new double[n];
    blkAcc = new double[n];
    tmoAcc = new double[n];
    downAcc = new double[n];
    cpuAcc = new double[n];
    inAsked = new double[n];
    inRefused = new double[n];
    winAsked = new double[n * 10];
    winRefused = new double[n * 10];
    attAcc = new double[nEdges];
    failAcc = new double[nEdges];
    lateP = new double[nEdges];
    attRate = new double[nEdges];
  }

  EpisodeResult run() {
    return run(null);
  }

  /**
   * {@link #run()}, calling {@code afterSecond} with the simulated second after each second's
   * bookkeeping (crash rule, FAILED rule), for tracing ({@code FluidTrace}); it must only read the
   * model (the accessors below). The episode is the same as {@link #run()}'s, trace hash included.
   */
  EpisodeResult run(java.util.function.LongConsumer afterSecond) {
    if (guard != null) {
      guard.init(view.staticTopology(),
          new GuardConfig(1000, p.actuationDelayMs(), GuardConfig.MAX_ACTION_DURATION_MS, p.predictOnly()));
    }
    scheduleFault();
    long steps = p.durationSec() * stepsPerSec;
    for (long k = 1; k <= steps; k++) {
      double now = k * dt;
      double start = now - dt;
      if (faultApplied != FaultKind.NONE && start <= faultSec && faultSec < now) {
        faultStart();
      }
      if (start <= faultEndSec && faultEndSec < now) {
        faultEnd();
      }
      if (guard != null) {
        applyDue(start);
      }
      step(start);
      if (k % stepsPerSec == 0) {
        onSecond(now);
        if (afterSecond != null) {
          afterSecond.accept(k / stepsPerSec);
        }
      }
    }
    return result(steps);
  }

  // ================================================================== faults (same draws as the DES)

  private void scheduleFault() {
    // the DES's integer nanoseconds, so that t_f is the same double in both results
    double tfSec = faultRng.uniform(600, 900);
    if (p.fault() == FaultKind.NONE) {
      faultSec = p.durationSec() >= 900 ? (long) (tfSec * NS) / (double) NS : p.warmupSec();
      return;
    }
    faultSec = (long) (tfSec * NS) / (double) NS;
    faultApplied = FaultDraw.resolve(p.fault(), faultRng);
    if (faultApplied == FaultKind.F4_SURGE_ONE) {
      surgeAgent = FaultDraw.surgeEntry(t, faultRng);
    }
  }

  private void faultStart() {
    switch (faultApplied) {
      case F1_AGENT -> {
        int a = target();
        crash(a, upCount[a], false, faultSec);
      }
      case F1_INSTANCE -> crash(target(), 1, false, faultSec);
      case F2_SLOW -> {
        slow[target()] = mag.slowFactor();
        faultEndSec = faultSec + mag.slowDurationSec();
      }
      case F3_CAPACITY -> {
        int a = target();
        crash(a, Math.max(1, (int) Math.round(t.instances[a] * mag.capacityLossFraction())), false, faultSec);
      }
      case F4_SURGE, F4_SURGE_ONE -> {
        surge = mag.surgeFactor();
        faultEndSec = faultSec + mag.surgeDurationSec();
      }
      case F5_ERRORS -> {
        errOverride[target()] = mag.errorRate();
        faultEndSec = faultSec + mag.errorDurationSec();
      }
      case F8_RETRY -> {
        for (int e = 0; e < nEdges; e++) {
          if (faultRng.nextDouble() < mag.retryEdgeFraction() && attempts[e] == SimTopology.DEFAULT_MAX_ATTEMPTS) {
            attempts[e] = mag.retryAttempts();
          }
        }
      }
      case NONE, F_STD -> throw new IllegalStateException("unresolved fault " + faultApplied);
    }
  }

  private int target() {
    int a = FaultDraw.pickTarget(t, faultApplied, mag, faultRng);
    faulted = new int[] {a};
    inF0[a] = true;
    return a;
  }

  private void faultEnd() {
    Arrays.fill(slow, 1.0);
    Arrays.fill(errOverride, -1.0);
    surge = 1.0;
    faultEndSec = Double.NaN;
  }

  // ================================================================== one step

  /** Entry traffic of agent i in the current step ({@link #stepSine} set by {@link #step}). */
  private double entryRate(int i) {
    if (t.entryRatePerSec[i] == 0) {
      return 0;
    }
    boolean surged = surgeAgent < 0 || surgeAgent == i;
    return p.loadFactor() * t.entryRatePerSec[i] * stepSine * (surged ? surge : 1.0);
  }

  private void step(double start) {
    boolean measuring = start >= faultSec;
    stepSine = 1 + p.sinusoidAmplitude() * StrictMath.sin(2 * Math.PI * start / 600.0);
    // 1. offered attempts, from the previous step's starts, reach, failure probabilities and retries
    for (int i = 0; i < n; i++) {
      inflow[i] = entryRate(i);
    }
    for (int j = 0; j < n; j++) {
      double sj = s[j];
      for (int e = t.edgeStart[j]; e < t.edgeStart[j + 1]; e++) {
        double first = sj * seqCalls[e] * t.invokeProb[e] * reach[e];
        // b: the share an action refuses at the caller (0 without actions, and then every value below
        // is the B0 one bit for bit: x (1 − 0) is x)
        double b = block == null ? 0 : block[e];
        if (t.async[e]) {
          inflow[t.callee[e]] += first * (1 - b);
          if (guard != null) {
            observeAttempts(j, e, first, b, b);
          }
          continue;
        }
        double pf = peEff(e);
        double target = first * geometricTail(pf, attempts[e]);
        double delay = Math.max(dt, atEff(e) + meanRetryWaitNs(e, pf, attempts[e]) * 1e-9);
        retry[e] += (dt / delay) * (target - retry[e]);
        inflow[t.callee[e]] += (first + retry[e]) * (1 - b);
        if (guard != null) {
          observeAttempts(j, e, first + retry[e], b, pf);
        }
      }
    }
    // 2. admission, threads and queue
    for (int i = 0; i < n; i++) {
      double offered = inflow[i];
      double a = offered;
      double refused = 0;
      if (block != null) {
        double in = inboundPass(i, start, a);
        refused += a - in;
        a = in;
      }
      if (t.tokenRatePerSec[i] > 0) {
        tokens[i] = Math.min(t.tokenBurst[i], tokens[i] + t.tokenRatePerSec[i] * dt);
        double pass = Math.min(a * dt, tokens[i]);
        tokens[i] -= pass;
        refused += a - pass / dt;
        a = pass / dt;
      }
      int routable = upCount[i] + downCount[i];
      double toDown = routable == 0 ? a : a * downCount[i] / (double) routable;
      downShare[i] = upCount[i] > 0 && downCount[i] > 0 && offered > 0 ? toDown / offered : 0;
      refused += toDown;
      a -= toDown;
      double threads = t.threadsPerInstance[i] * (double) upCount[i];
      double mu = threads > 0 ? threads / resp[i] : 0;
      double served = Math.min(mu, a + q[i] / dt);
      double qn = q[i] + (a - served) * dt;
      double cap = t.queueCapacity[i] * (double) upCount[i];
      if (qn > cap) {
        refused += (qn - cap) / dt;
        qn = cap;
      }
      q[i] = Math.max(0, qn);
      s[i] = served;
      pRej[i] = offered > 0 ? Math.min(1, refused / offered) : 0;
      qSecSum[i] += q[i];
      if (mu > 0) {
        lamSecSum[i] += a;
        muSecSum[i] += mu;
      }
      // the FAILED rule counts requests when they end: refusals at once, served requests after
      // holding a thread for R (Little: busy = s R), so when R drops — e.g. a callee starts refusing
      // fast — the requests that were held complete, mostly failed, in a burst
      double done = busy[i] * Math.min(1, dt / resp[i]);
      busy[i] += served * dt - done;
      secSucc[i] += done * (1 - pErr[i]);
      secErr[i] += refused * dt + done * pErr[i];
      if (guard != null) {
        arrAcc[i] += offered * dt;
        rejAcc[i] += refused * dt;
        double eps = errOverride[i] >= 0 ? errOverride[i] : t.intrinsicError[i];
        downAcc[i] += done * Math.max(0, pErr[i] - eps);
      }
      if (t.entryRatePerSec[i] > 0) {
        double ext = entryRate(i) * dt;
        if (measuring) {
          entryOffered += ext;
          entrySucceeded += ext * ((1 - pRej[i]) * (1 - pErr[i]));
        }
        if (start >= p.warmupSec()) {
          double w = ext * (1 - pRej[i]) * (1 - pErr[i]);
          entryLatencySum += w * tbar[i];
          entryLatencyWeight += w;
        }
      }
    }
    // 3. response times from the callees' previous latencies, request failure, reach
    for (int i = 0; i < n; i++) {
      double cores = upCores(i, start);
      double d = meanServiceNs[i] * 1e-9 * slow[i];
      if (guard != null && cores > 0) {
        cpuAcc[i] += Math.min(1, s[i] * d / cores) * dt;
      }
      double own;
      if (t.latencyBound[i] || cores <= 0) {
        own = d;
      } else {
        // processor sharing on the instance's quota k: n jobs each run at min(1, k/n), and at most
        // c jobs (its threads) are in the CPU phase, so own ≤ max(d, c d / k)
        double rho = s[i] * d / cores;
        double perInst = cores / upCount[i];
        double ps = d / (Math.min(1, perInst) * (1 - Math.min(rho, 0.99)));
        own = Math.min(ps, Math.max(d, t.threadsPerInstance[i] * d / perInst));
      }
      double down = 0;
      double ok = 1;
      double groupMiss = 0;
      double okBeforeParallel = 1;
      for (int e = t.edgeStart[i]; e < t.edgeStart[i + 1]; e++) {
        boolean parallel = t.parFirst[e] >= 0;
        if (parallel && t.parFirst[e] == e) {
          // a parallel group: all its invocations leave together, so every member sees the reach
          // before the group, and the request waits for the slowest (spec D3: the max, not the sum)
          okBeforeParallel = ok;
          int end = t.parEnd[e];
          for (int k = e; k < end; k++) {
            double ea = 1 + geometricTail(peEff(k), attempts[k]);
            invocationTime[k] = t.async[k] ? 0 : ea * atEff(k) + (ea - 1) * meanRetryWaitNs(k, peEff(k), attempts[k]) * 1e-9;
          }
          down += ok * FanOut.expectedMax(invocationTime, t.invokeProb, t.multiplicity, t.multiplicityMax, e, end);
        }
        // members of an exclusive group all see the reach before the group (one of them is called)
        reach[e] = parallel ? okBeforeParallel : ok;
        double miss = 0;
        if (!t.async[e]) {
          int att = attempts[e];
          double pf = peEff(e);
          double exhaust = Math.min(1, pow(pf, att));
          double none = 1;
          if (exhaust > 1e-15) {
            // P(the request ends here) = π (1 − E[(1 − exhaust)^M]) over the edge's invocation
            // (probability π) and its multiplicity M ~ U{lo..hi}, exactly: the product over the
            // mean, (1 − exhaust)^{π m̄}, overstated it by Jensen's inequality — an edge called with
            // π = 0.42 whose callee always fails ended every request, not 42% of them
            none = meanPower(1 - exhaust, t.multiplicity[e], t.multiplicityMax[e]);
            miss = t.invokeProb[e] * (1 - none);
          }
          if (!parallel) {
            // the DES makes the M invocations one after another and stops at the first that exhausts
            // its attempts, so a request makes E[(1 − (1 − x)^M) / x] of them, not m̄ (before
            // 2026-11-27: m̄, so a caller with M = 5 sent a dead callee 15 attempts per request where
            // the DES sends 3; traced on ALI-100 seed 61, whose F2 target then crash-looped to the end)
            seqCalls[e] = exhaust > 1e-9 ? (1 - none) / exhaust : mbar[e];
            double ea = 1 + geometricTail(pf, att);
            double calls = seqCalls[e] * t.invokeProb[e] * ok;
            double held = atEff(e);
            heldShare[e] = calls * ea * held; // divided by R below
            down += calls * (ea * held + (ea - 1) * meanRetryWaitNs(e, pf, att) * 1e-9);
          }
        }
        if (t.groupFirst[e] < 0) {
          ok *= 1 - miss;
        } else {
          groupMiss += miss;
          if (e + 1 == t.groupEnd[e]) {
            ok *= 1 - Math.min(1, groupMiss);
            groupMiss = 0;
          }
        }
      }
      double eps = errOverride[i] >= 0 ? errOverride[i] : t.intrinsicError[i];
      pErr[i] = 1 - (1 - eps) * ok;
      double r = own + down;
      for (int e = t.edgeStart[i]; e < t.edgeStart[i + 1]; e++) {
        heldShare[e] = t.async[e] || t.parFirst[e] >= 0 || r <= 0 ? 0 : Math.min(1, heldShare[e] / r);
      }
      double threads = t.threadsPerInstance[i] * (double) upCount[i];
      // step 3 reads no agent's R, T̄ or variance (the callees' enter through attemptTime), so they
      // are written in place. A fan-out caller's R follows r with the time constant max(R, r), not
      // at once: its threads turn over with the requests ending now, which started up to R ago (tens
      // of seconds in the LLM families) and met the branches' state over their whole life. Taken at
      // once (before 2026-11-27), a fan-out in front of processor-shared tools flip-flopped every step
      // (b3-debate seed 17 under F4: the moderator's R 34 s, 232 s, 34 s, ..., its starts 2.6/s and
      // 0.53/s, the queue never growing). Every other agent follows at once, as before: relaxing all
      // of them made ALI-1000's F4 surges overshoot (docs/cpb.md, "Fan-out callers' response time").
      resp[i] = fanOut[i] && resp[i] > 0 ? resp[i] + Math.min(1, dt / Math.max(resp[i], r)) * (r - resp[i]) : r;
      r = resp[i];
      if (threads > 0) {
        tbar[i] = q[i] * r / threads + r;
        // variance: the wait behind q_x queued requests on c_x threads is a sum of q_x exponential
        // gaps of mean R/c_x; the own part is exponential with mean R
        double perThread = r / t.threadsPerInstance[i];
        double queued = q[i] / upCount[i];
        tvar[i] = queued * perThread * perThread + r * r;
      } else {
        // no instance up: as in the DES, a call to a crashed instance not yet ejected fails after the
        // connect timeout, and with every instance ejected it is refused at once (before 2026-11-27:
        // R + the connect timeout, so a dead LLM provider held each attempt 4.4 s instead of 1 s)
        tbar[i] = downCount[i] > 0 ? CONNECT_TIMEOUT_SEC : REFUSAL_SEC;
        tvar[i] = tbar[i] * tbar[i];
      }
    }
    // 4. per-attempt failure probability of every edge
    for (int e = 0; e < nEdges; e++) {
      int b = t.callee[e];
      double tau = t.timeoutNs[e] * 1e-9;
      double mean = tbar[b];
      double late;
      if (tvar[b] >= mean * mean * (1 - 1e-9)) {
        // no queue: T ~ Exp(T̄)
        late = StrictMath.exp(-tau / mean);
        attemptTime[e] = mean * (1 - late);
      } else {
        // a queue: T ~ Gamma with T̄ and the variance above (shape k = T̄²/var, scale θ = var/T̄);
        // E[min(T, τ)] = kθ P(k+1, τ/θ) + τ (1 − P(k, τ/θ))
        double shape = mean * mean / tvar[b];
        double scale = tvar[b] / mean;
        double x = tau / scale;
        double below = IncompleteGamma.regularizedP(shape, x);
        late = 1 - below;
        attemptTime[e] = mean * IncompleteGamma.regularizedP(shape + 1, x) + tau * late;
      }
      if (downShare[b] > 0) {
        // spec D3: calls routed to a crashed instance not yet ejected fail after the 1-s connect
        // timeout (the DES's K_CONNFAIL), so they hold the caller min(1 s, τ), not the live instances'
        // E[min(T, τ)] (before 2026-11-29 only when no instance was up, through T̄ above)
        attemptTime[e] += downShare[b] * (Math.min(CONNECT_TIMEOUT_SEC, tau) - attemptTime[e]);
      }
      pe[e] = 1 - (1 - pRej[b]) * (1 - late) * (1 - pErr[b]);
      if (guard != null) {
        lateP[e] = late;
      }
    }
  }

  /** pe of edge e as its caller sees it: an attempt an action refuses at the caller fails too. */
  private double peEff(int e) {
    if (block == null) {
      return pe[e];
    }
    double b = block[e];
    return b > 0 ? 1 - (1 - b) * (1 - pe[e]) : pe[e];
  }

  /** E[min(T, τ)] of an attempt on edge e: a refused one ends at once. */
  private double atEff(int e) {
    return block == null ? attemptTime[e] : attemptTime[e] * (1 - block[e]);
  }

  /** Cores of agent i's up instances at {@code timeSec}, each ramping after a restart. */
  private double upCores(int i, double timeSec) {
    double cores = 0;
    for (int x = instOff[i]; x < instOff[i + 1]; x++) {
      if (instState[x] == UP) {
        cores += t.coresPerInstance[i] * warmFactor(x, timeSec);
      }
    }
    return cores;
  }

  private double warmFactor(int x, double timeSec) {
    double since = timeSec - warmStart[x];
    return since >= WARMUP_RAMP_SEC ? 1.0 : 1.0 / 3 + (2.0 / 3) * Math.max(0, since) / WARMUP_RAMP_SEC;
  }

  /**
   * The spec's w, the mean wait before a retry of edge e (nanoseconds), at attempt failure probability
   * {@code pf} and at most {@code maxAttempts} attempts: retry k waits {@code min(max, base · mult^(k−1))
   * · (1 − jitter U)} ({@link SimTopology.Backoff}, as the DES's {@code retryWait}), i.e.
   * {@code w_k = min(max, base · mult^(k−1)) (1 − jitter/2)} on average, and an invocation makes retry k
   * with probability p^k, so w = Σ p^k w_k / Σ p^k (w_1 when p = 0). A fixed wait is its base, bit for
   * bit as before (the callers multiply by 1e-9 last, as they did). Before 2026-11-29 the base stood for
   * every schedule, so the OpenAI SDK's 0.5 s · 2^(k−1) · (1 − 0.25 U) on LLM provider edges counted
   * 0.5 s per retry where its retries wait 0.44 s and 0.88 s on average.
   */
  private double meanRetryWaitNs(int e, double pf, int maxAttempts) {
    double base = t.retryWaitNs[e];
    if (t.backoffMultiplier[e] == 1.0 && t.retryJitter[e] == 0) {
      return base;
    }
    double cap = t.maxRetryWaitNs[e];
    double jitterMean = 1 - 0.5 * t.retryJitter[e];
    double weight = 0;
    double sum = 0;
    double pk = 1;
    double wk = base;
    for (int k = 1; k < maxAttempts; k++) {
      pk *= pf;
      weight += pk;
      sum += pk * Math.min(cap, wk);
      wk *= t.backoffMultiplier[e];
    }
    return (weight > 0 ? sum / weight : Math.min(cap, base)) * jitterMean;
  }

  /** p + p² + … + p^{A−1}: the expected retries of an invocation of at most A attempts. */
  static double geometricTail(double pf, int maxAttempts) {
    double sum = 0;
    double term = 1;
    for (int k = 1; k < maxAttempts; k++) {
      term *= pf;
      sum += term;
    }
    return sum;
  }

  private static final double LN2 = StrictMath.log(2);

  /**
   * Mean and variance of a birth–death queue bounded at K with arrival/service ratio ρ,
   * P(Q = j) ∝ ρ^j for j = 0..K: a geometric distribution truncated at K, of Q itself below ρ = 1
   * and of the deficit K − Q above it (its ratio is then 1/ρ); uniform at ρ = 1.
   *
   * @return {E[Q], Var[Q]}
   */
  static double[] boundedQueue(double rho, int k) {
    if (k <= 0 || !(rho > 0)) {
      return new double[] {0, 0};
    }
    double x = rho > 1 ? 1 / rho : rho;
    double mean;
    double var;
    if (1 - x < 1e-7) {
      mean = k / 2.0;
      var = k * (k + 2.0) / 12.0;
    } else {
      double xk1 = StrictMath.pow(x, k + 1);
      mean = x / (1 - x) - (k + 1) * xk1 / (1 - xk1);
      var = x / ((1 - x) * (1 - x)) - (k + 1.0) * (k + 1.0) * xk1 / ((1 - xk1) * (1 - xk1));
    }
    return new double[] {rho > 1 ? k - mean : mean, Math.max(0, var)};
  }

  /**
   * The chance that one second's average of a real instance queue (arrivals λ, service μ per
   * second, bounded at K) is at or above {@code threshold}, and the queue's correlation time in
   * seconds. The average is taken as normal around the bounded queue's mean, with its variance
   * shrunk by 2τ/1 s for a correlation time τ below half a second: τ = 1/gap, with the spectral gap
   * λ + μ − 2√(λμ) cos(π/(K+1)) of the birth–death chain on 0..K.
   *
   * @return {chance, τ}
   */
  static double[] crashChanceOfSecond(double lam, double mu, int k, double threshold) {
    double[] m = boundedQueue(lam / mu, k);
    double gap = lam + mu - 2 * StrictMath.sqrt(lam * mu) * StrictMath.cos(Math.PI / (k + 1));
    double tau = gap > 0 ? 1 / gap : Double.POSITIVE_INFINITY;
    double sd = StrictMath.sqrt(m[1] * Math.min(1, 2 * tau));
    double z = sd > 0 ? (threshold - m[0]) / sd : (m[0] >= threshold ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    return new double[] {upperNormalTail(z), tau};
  }

  /** P(Z ≥ z) for a standard normal Z (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
  static double upperNormalTail(double z) {
    if (z == Double.POSITIVE_INFINITY) {
      return 0;
    }
    if (z == Double.NEGATIVE_INFINITY) {
      return 1;
    }
    double x = Math.abs(z) / StrictMath.sqrt(2);
    double tt = 1 / (1 + 0.3275911 * x);
    double erfc = tt * (0.254829592 + tt * (-0.284496736 + tt * (1.421413741 + tt * (-1.453152027 + tt * 1.061405429))))
        * StrictMath.exp(-x * x);
    return z >= 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
  }

  /** E[y^M] for M uniform on the integers lo..hi (0 ≤ y ≤ 1). */
  static double meanPower(double y, int lo, int hi) {
    int count = hi - lo + 1;
    if (y >= 1) {
      return 1;
    }
    return StrictMath.pow(y, lo) * (1 - StrictMath.pow(y, count)) / ((1 - y) * count);
  }

  /** E[min(T, τ)] for T ~ Exp(mean). */
  static double expectedMin(double mean, double tau) {
    if (!(mean > 0)) {
      return 0;
    }
    return mean * (1 - StrictMath.exp(-tau / mean));
  }

  private static double pow(double x, int k) {
    double r = 1;
    for (int i = 0; i < k; i++) {
      r *= x;
    }
    return r;
  }

  // ================================================================== every second

  private void onSecond(double now) {
    // ejection and restarts
    for (int i = 0; i < n; i++) {
      for (int x = instOff[i]; x < instOff[i + 1]; x++) {
        if (instState[x] == DOWN && now - downAt[x] >= EJECT_AFTER_SEC) {
          instState[x] = EJECTED;
          downCount[i]--;
        }
        if (instState[x] != UP && now >= restartAt[x]) {
          if (instState[x] == DOWN) {
            downCount[i]--;
          }
          instState[x] = UP;
          upCount[i]++;
          restartAt[x] = Double.POSITIVE_INFINITY;
          warmStart[x] = now;
        }
      }
    }
    // crash rule: a DES instance crashes when its 1-s average queue is ≥ ⌊0.99 K⌋ in 10 consecutive
    // seconds. The mean-field queue sits at K for any overload, a real one fluctuates below it; so
    // while the fluid queue is at the threshold, each second's chance that a real queue's 1-s
    // average reaches it comes from the bounded queue at this second's arrival and service rates
    // (crashChanceOfSecond), ten such seconds make the hazard of a crash, and the agent crashes
    // when the chance of a crash since the queue filled reaches one half (the median crash time)
    int tick = (int) (Math.round(now) % 10);
    for (int i = 0; i < n; i++) {
      // per instance (the agent's instances share its traffic evenly)
      int up = upCount[i];
      double avgPerInstance = up == 0 ? 0 : qSecSum[i] / stepsPerSec / up;
      double lam = up == 0 ? 0 : lamSecSum[i] / stepsPerSec / up;
      double mu = up == 0 ? 0 : muSecSum[i] / stepsPerSec / up;
      qSecSum[i] = 0;
      lamSecSum[i] = 0;
      muSecSum[i] = 0;
      int capacity = t.queueCapacity[i];
      double threshold = Math.max(1.0, Math.floor(0.99 * capacity));
      if (p.crashRestart() && capacity > 0 && up > 0 && avgPerInstance >= threshold && mu > 0) {
        double[] chance = crashChanceOfSecond(lam, mu, capacity, threshold);
        logAbove[i * 10 + tick] = (float) StrictMath.log(Math.max(chance[0], 1e-300));
        if (++fullSecs[i] >= 10) {
          double sum = 0;
          for (int k = 0; k < 10; k++) {
            sum += logAbove[i * 10 + k];
          }
          // seconds closer than the queue's correlation time are one draw, not several
          double hazard = StrictMath.exp(sum / Math.max(1, Math.min(10, chance[1])));
          logNoCrash[i] += hazard >= 1 ? Double.NEGATIVE_INFINITY : StrictMath.log1p(-hazard);
          if (logNoCrash[i] <= -LN2) {
            crash(i, up, true, now);
          }
        }
      } else {
        fullSecs[i] = 0;
        logNoCrash[i] = 0;
      }
    }
    // FAILED states and the cascade metrics, as expectations: the DES draws each agent's requests
    // and failures, so an agent whose mean failure share is below one half still fails now and
    // then (WindowFailure); consecutive ticks share 9 of their 10 seconds, so each tick counts
    // towards "FAILED at some tick" by the extremal index of the moving window (WindowFailure.tickWeight)
    TelemetrySnapshot snap = guard == null ? null : snapshot(now);
    int slot = winPos;
    winPos = (winPos + 1) % 10;
    boolean afterFault = now >= faultSec;
    double failed = 0;
    for (int a = 0; a < n; a++) {
      winSucc[a * 10 + slot] = secSucc[a];
      winTot[a * 10 + slot] = secSucc[a] + secErr[a];
      secSucc[a] = 0;
      secErr[a] = 0;
      failedNow[a] = 0;
      if (guard != null) {
        winAsked[a * 10 + slot] = inAsked[a];
        winRefused[a * 10 + slot] = inRefused[a];
        inAsked[a] = 0;
        inRefused[a] = 0;
      }
      if (!afterFault || inF0[a]) {
        continue;
      }
      double succ = 0;
      double tot = 0;
      for (int k = 0; k < 10; k++) {
        succ += winSucc[a * 10 + k];
        tot += winTot[a * 10 + k];
      }
      double pf = (t.instances[a] - upCount[a]) * 2 >= t.instances[a] || unavailableByAction(a, now) ? 1.0
          : tot > 0 ? WindowFailure.probability(tot, 1 - succ / tot) : 0;
      if (pf > 0) {
        failedNow[a] = pf;
        failed += pf;
        logSurvive[a] = pf >= 1 ? Double.NEGATIVE_INFINITY : logSurvive[a] + WindowFailure.tickWeight(pf) * StrictMath.log1p(-pf);
      }
    }
    if (afterFault) {
      double denom = Math.max(1, n - faulted.length);
      track.tick(now, failed / denom, expectedEverFailed() / denom);
    }
    hashBuf.clear();
    hashBuf.putLong(Math.round(now));
    for (int a = 0; a < n; a++) {
      hashBuf.putLong(Double.doubleToLongBits(q[a]));
      hashBuf.putLong(Double.doubleToLongBits(s[a]));
      hashBuf.putLong(upCount[a]);
      hashBuf.putLong(Double.doubleToLongBits(failedNow[a]));
    }
    sha.update(hashBuf.array(), 0, hashBuf.position());
    if (snap != null) {
      control(now, snap);
    }
  }

  // ================================================================== the guard: telemetry and actions

  /** Counts attempts on edge e of caller j this step (per second): {@code b} refused by an action, {@code pf} failing. */
  private void observeAttempts(int j, int e, double att, double b, double pf) {
    int callee = t.callee[e];
    attRate[e] = att;
    attAcc[e] += att * dt;
    failAcc[e] += att * pf * dt;
    blkAcc[j] += att * b * dt;
    if (!t.async[e]) {
      tmoAcc[j] += att * (1 - b) * lateP[e] * dt;
    }
    inAsked[callee] += att * dt;
    if (b > 0 && blockAboutCallee[e]) {
      inRefused[callee] += att * b * dt;
    }
  }

  /**
   * The part of {@code offered} attempts per second that agent i's inbound actions admit at
   * {@code time} (isolation none, shedding 1 − f, an inbound rate limit its tokens), as the DES's
   * {@code rejectInbound}, which runs before the agent's own token bucket.
   */
  private double inboundPass(int i, double time, double offered) {
    if (isoUntil[i] > time) {
      return 0;
    }
    double a = offered;
    if (shedUntil[i] > time) {
      a *= 1 - shedFrac[i];
    }
    if (rlInUntil[i] > time) {
      double burst = Math.max(1.0, rlInRate[i]);
      rlInTokens[i] = Math.min(burst, rlInTokens[i] + rlInRate[i] * dt);
      double pass = Math.min(a * dt, rlInTokens[i]);
      rlInTokens[i] -= pass;
      a = pass / dt;
    }
    return a;
  }

  /**
   * Whether an action makes agent a unavailable at {@code time}, which the D3 FAILED rule counts
   * (spec 10.3, as in the DES): isolated, shedding ≥ 90%, or ≥ 90% of the attempts towards it over
   * the last 10 s (at least 10) refused on their way in by the SUT's breakers or rate limits.
   */
  private boolean unavailableByAction(int a, double time) {
    if (block == null) {
      return false;
    }
    if (isoUntil[a] > time || (shedUntil[a] > time && shedFrac[a] >= 0.9)) {
      return true;
    }
    double asked = 0;
    double refused = 0;
    for (int k = 0; k < 10; k++) {
      asked += winAsked[a * 10 + k];
      refused += winRefused[a * 10 + k];
    }
    return asked >= 10 && refused >= 0.9 * asked;
  }

  /** Applies the actions due by {@code time} and sets every edge's refused share for the step from {@code time}. */
  private void applyDue(double time) {
    while (!pending.isEmpty() && pending.get(0).atSec() <= time + 1e-9) {
      applyAction(pending.remove(0), time);
    }
    if (block == null) {
      return;
    }
    for (int a = 0; a < n; a++) {
      boolean callerSide = isoUntil[a] > time || brOutUntil[a] > time;
      for (int e = t.edgeStart[a]; e < t.edgeStart[a + 1]; e++) {
        int b = t.callee[e];
        if (callerSide || isoUntil[b] > time || brInUntil[b] > time || brEdgeUntil[e] > time) {
          block[e] = 1;
          blockAboutCallee[e] = !callerSide;
        } else if (rlEdgeUntil[e] > time) {
          double burst = Math.max(1.0, rlEdgeRate[e]);
          rlEdgeTokens[e] = Math.min(burst, rlEdgeTokens[e] + rlEdgeRate[e] * dt);
          double want = attRate[e] * dt;
          double pass = Math.min(want, rlEdgeTokens[e]);
          rlEdgeTokens[e] -= pass;
          block[e] = want > 0 ? 1 - pass / want : 0;
          blockAboutCallee[e] = true;
        } else {
          block[e] = 0;
        }
      }
    }
  }

  /** Applies an action given in the guard's ids, as {@code Des.applyAction}. */
  private void applyAction(PendingAction pa, double time) {
    if (block == null) {
      isoUntil = new double[n];
      brInUntil = new double[n];
      brOutUntil = new double[n];
      shedUntil = new double[n];
      shedFrac = new double[n];
      rlInUntil = new double[n];
      rlInRate = new double[n];
      rlInTokens = new double[n];
      brEdgeUntil = new double[nEdges];
      rlEdgeUntil = new double[nEdges];
      rlEdgeRate = new double[nEdges];
      rlEdgeTokens = new double[nEdges];
      blockAboutCallee = new boolean[nEdges];
      block = new double[nEdges];
    }
    Action act = pa.action();
    double until = time + Math.min(GuardConfig.MAX_ACTION_DURATION_MS, act.durationMs()) / 1000.0;
    applied.add(new EpisodeResult.AppliedAction(Math.round(time * NS), act));
    active.put(act, Math.round(until * NS));
    switch (act) {
      case Action.OpenBreaker ob -> {
        int caller = view.realAgent(ob.caller(), act);
        if (ob.incoming()) {
          brInUntil[caller] = until;
        } else if (ob.callee() < 0) {
          brOutUntil[caller] = until;
        } else {
          int callee = view.realAgent(ob.callee(), act);
          for (int e = t.edgeStart[caller]; e < t.edgeStart[caller + 1]; e++) {
            if (t.callee[e] == callee) {
              brEdgeUntil[e] = until;
            }
          }
        }
      }
      case Action.Isolate iso -> isoUntil[view.realAgent(iso.agent(), act)] = until;
      case Action.Shed sh -> {
        int a = view.realAgent(sh.agent(), act);
        shedFrac[a] = sh.fraction();
        shedUntil[a] = until;
      }
      case Action.RateLimit rl -> {
        int a = view.realAgent(rl.agent(), act);
        if (rl.callee() < 0) {
          rlInRate[a] = rl.rps();
          rlInUntil[a] = until;
          rlInTokens[a] = Math.max(1.0, rl.rps());
        } else {
          int callee = view.realAgent(rl.callee(), act);
          for (int e = t.edgeStart[a]; e < t.edgeStart[a + 1]; e++) {
            if (t.callee[e] == callee) {
              rlEdgeRate[e] = rl.rps();
              rlEdgeUntil[e] = until;
              rlEdgeTokens[e] = Math.max(1.0, rl.rps());
            }
          }
        }
      }
    }
  }

  /** The guard's control tick at second {@code now}: predict on its view of the snapshot, then (full mode) decide. */
  private void control(double now, TelemetrySnapshot snap) {
    TelemetrySnapshot seen = view.view(snap);
    long t0 = System.nanoTime();
    Prediction pred = guard.predict(seen);
    long took = System.nanoTime() - t0;
    java.util.Objects.requireNonNull(pred, "CascadeGuard.predict must return a Prediction");
    if (predictCalls < predictNs.length) {
      riskByCall[predictCalls] = pred.risk();
      predictNs[predictCalls++] = Math.max(0, took);
    }
    if (!p.predictOnly()) {
      List<Action> acts = java.util.Objects.requireNonNull(guard.decide(seen, pred),
          "CascadeGuard.decide must return a list (List.of() for no action)");
      for (Action act : acts) {
        pending.add(new PendingAction(now + p.actuationDelayMs() / 1000.0, act));
      }
    }
  }

  private static final double Z95 = 1.6448536269514722;
  private static final double Z99 = 2.3263478740408408;
  private static final double LN20 = StrictMath.log(20);
  private static final double LN100 = StrictMath.log(100);

  /**
   * The second's telemetry (spec 1.3) from the model's expectations: counts are the expected
   * requests of the second, rounded at random to a neighbouring integer (mean kept; one draw per value
   * from stream {@code fluid/telemetry-rounding}, whatever the values, so arms stay on common random
   * numbers); latency quantiles from the mean and variance of the caller-visible latency (a Gamma of
   * those moments, Wilson–Hilferty; exponential without a queue). Resets the second's sums.
   */
  private TelemetrySnapshot snapshot(double now) {
    int[] arr = new int[n];
    int[] succ = new int[n];
    int[] err = new int[n];
    int[] rej = new int[n];
    int[] tmo = new int[n];
    int[] blk = new int[n];
    int[] down = new int[n];
    double[] p50 = new double[n];
    double[] p95 = new double[n];
    double[] p99 = new double[n];
    int[] inFlight = new int[n];
    int[] queue = new int[n];
    double[] util = new double[n];
    double[] cpu = new double[n];
    for (int i = 0; i < n; i++) {
      arr[i] = round(arrAcc[i]);
      succ[i] = round(secSucc[i]);
      err[i] = round(secErr[i]);
      rej[i] = Math.min(err[i], round(rejAcc[i]));
      down[i] = Math.min(err[i], round(downAcc[i]));
      tmo[i] = round(tmoAcc[i]);
      blk[i] = round(blkAcc[i]);
      inFlight[i] = round(q[i] + busy[i]);
      queue[i] = round(q[i]);
      if (succ[i] + err[i] > 0) {
        double ms = 1e3 * tbar[i];
        double var = 1e6 * tvar[i];
        p50[i] = latencyQuantile(ms, var, 0, LN2);
        p95[i] = latencyQuantile(ms, var, Z95, LN20);
        p99[i] = latencyQuantile(ms, var, Z99, LN100);
      }
      double threads = t.threadsPerInstance[i] * (double) upCount[i];
      util[i] = threads > 0 ? Math.min(1, busy[i] / threads) : 1.0;
      cpu[i] = cpuAcc[i];
      arrAcc[i] = rejAcc[i] = blkAcc[i] = tmoAcc[i] = downAcc[i] = cpuAcc[i] = 0;
    }
    int[] att = new int[nEdges];
    int[] fail = new int[nEdges];
    double[] edgeP99 = new double[nEdges];
    double[] breaker = new double[nEdges];
    for (int e = 0; e < nEdges; e++) {
      att[e] = round(attAcc[e]);
      fail[e] = Math.min(att[e], round(failAcc[e]));
      double b = block == null ? 0 : block[e];
      if (att[e] > 0 && b < 1 && !t.async[e]) {
        int callee = t.callee[e];
        double tau = t.timeoutNs[e] * 1e-6;
        edgeP99[e] = Math.min(tau, latencyQuantile(1e3 * tbar[callee], 1e6 * tvar[callee], Z99, LN100));
      }
      breaker[e] = b >= 1 ? 1.0 : 0.0;
      attAcc[e] = failAcc[e] = 0;
    }
    return new TelemetrySnapshot(Math.round(now), arr, succ, err, rej, tmo, blk, down, p50, p95, p99, inFlight, queue,
        util, cpu, upCount.clone(), att, fail, edgeP99, breaker, active.at(Math.round(now * NS)));
  }

  /** floor(x), plus one with probability frac(x). */
  private int round(double x) {
    double u = roundRng.nextDouble();
    if (!(x > 0)) {
      return 0;
    }
    double f = Math.floor(x);
    return (int) Math.min(Integer.MAX_VALUE, f + (u < x - f ? 1 : 0));
  }

  /**
   * The q-quantile of a latency with this mean and variance: a Gamma of those moments by the
   * Wilson–Hilferty approximation ({@code z} the normal quantile of q), or an exponential
   * ({@code mean × expFactor}, expFactor = −ln(1 − q)) when the variance is at least the mean squared.
   */
  static double latencyQuantile(double mean, double var, double z, double expFactor) {
    if (!(mean > 0)) {
      return 0;
    }
    if (!(var < mean * mean)) {
      return mean * expFactor;
    }
    double shape = mean * mean / var;
    double c = 1 / (9 * shape);
    double w = 1 - c + z * StrictMath.sqrt(c);
    return Math.max(0, mean * w * w * w);
  }

  /** Σ over agents of P(FAILED at some tick since t_f). */
  private double expectedEverFailed() {
    double sum = 0;
    for (int a = 0; a < n; a++) {
      sum += -StrictMath.expm1(logSurvive[a]);
    }
    return sum;
  }

  /** Crashes {@code count} up instances of agent a: their share of the queue fails at once (connection reset). */
  private void crash(int a, int count, boolean restartLater, double now) {
    int done = 0;
    for (int x = instOff[a]; x < instOff[a + 1] && done < count; x++) {
      if (instState[x] != UP) {
        continue;
      }
      double share = q[a] / upCount[a];
      double held = busy[a] / upCount[a];
      q[a] -= share;
      busy[a] -= held;
      secErr[a] += share + held;
      instState[x] = DOWN;
      downAt[x] = now;
      upCount[a]--;
      downCount[a]++;
      if (restartLater) {
        crashes++;
        restartAt[x] = now + restartRng.uniform(20, 40);
      }
      done++;
    }
    if (done > 0 && upCount[a] == 0) {
      // the callers' requests whose attempt in flight was at a: the DES resets it at once, and with no
      // instance of a up their remaining attempts fail within seconds (connect timeout, then refusal),
      // so those requests end failed now: a burst at every caller (before 2026-11-27 they ended at the
      // callers' R, spread over tens of seconds; traced on ALI-100 seed 35, where the DES's caller 16
      // of the crashing F2 target was FAILED by that burst and the fluid model's was not)
      for (int k = inStart[a]; k < inStart[a + 1]; k++) {
        int e = inEdge[k];
        int j = t.edgeCaller[e];
        double released = busy[j] * heldShare[e];
        if (released > 0) {
          busy[j] -= released;
          secErr[j] += released;
        }
      }
    }
    fullSecs[a] = 0;
    logNoCrash[a] = 0;
  }

  /** Attempts offered to agent a per second in the last step (first attempts and retries); for tests. */
  double offered(int a) {
    return inflow[a];
  }

  /** Requests queued at agent a (all instances) now; for tests. */
  double queued(int a) {
    return q[a];
  }

  /** The chance that agent a was FAILED at some tick since t_f; for tests. */
  double everFailedProbability(int a) {
    return -StrictMath.expm1(logSurvive[a]);
  }

  /** The mean time an attempt on edge e takes now (seconds, capped at its timeout); for tests. */
  double attemptTimeSec(int e) {
    return attemptTime[e];
  }

  /** Requests agent a starts per second now. */
  double starts(int a) {
    return s[a];
  }

  /** Agent a's response time R now (seconds). */
  double responseSec(int a) {
    return resp[a];
  }

  /** The share of attempts agent a refuses now (token bucket, dead instances, full queue). */
  double refusedShare(int a) {
    return pRej[a];
  }

  /** The chance that a request agent a serves fails now. */
  double requestFailure(int a) {
    return pErr[a];
  }

  /** Instances of agent a up now. */
  int instancesUp(int a) {
    return upCount[a];
  }

  /** The fault applied, its time and its targets (valid once the fault has started). */
  String faultSummary() {
    return faultApplied + " at " + faultSec + " s on " + Arrays.toString(faulted);
  }

  /** The attempt failure probability of edge e now; for tests. */
  double attemptFailure(int e) {
    return pe[e];
  }

  private EpisodeResult result(long steps) {
    double denom = Math.max(1, n - faulted.length);
    double size = expectedEverFailed() / denom;
    double avail = entryOffered <= 0 ? 1.0 : entrySucceeded / entryOffered;
    return new EpisodeResult(faultApplied, faultSec, faulted, size, track.peak(), track.integral(), avail,
        track.onset(0), track.onset(1), track.onset(2), Math.round(entryOffered), Math.round(entrySucceeded),
        entryLatencyWeight == 0 ? 0 : entryLatencySum / entryLatencyWeight * 1e3, steps, 0, crashes, applied,
        HexFormat.of().formatHex(sha.digest()), Arrays.copyOf(riskByCall, predictCalls), Arrays.copyOf(predictNs, predictCalls), -1);
  }
}

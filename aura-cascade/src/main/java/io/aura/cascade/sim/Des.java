package io.aura.cascade.sim;

import io.aura.cascade.baseline.Bulkhead;
import io.aura.cascade.baseline.CircuitBreaker;
import io.aura.cascade.baseline.CircuitState;
import io.aura.cascade.baseline.EnvoyOutlierConfig;
import io.aura.cascade.baseline.EnvoyOutlierDetector;
import io.aura.cascade.baseline.HystrixConfig;
import io.aura.cascade.baseline.R4jCircuitBreakerConfig;
import io.aura.cascade.baseline.SentinelSystemConfig;
import io.aura.cascade.baseline.SentinelSystemGuard;
import io.aura.cascade.baseline.SreAdaptiveThrottle;
import io.aura.cascade.baseline.SreConfig;
import io.aura.cascade.baseline.SreRetryBudget;
import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * D3 discrete-event simulator, one request at a time (spec section 3 D3). One instance runs one
 * episode on the calling thread.
 *
 * <p><b>Model.</b> Agent i has r_i instances; each has k_i cores (a CPU quota), c_i worker threads
 * and a FIFO queue of Q_i. An arriving request goes to a uniformly random instance not yet ejected
 * by the load balancer (stream {@code lb/<agent>}); it takes a free thread, else waits in the
 * queue, else is rejected (also when the agent's static token bucket, if any, is empty). It holds
 * its thread for its whole life: a CPU phase with demand Exp(d_i) (or LogNormal(ln d_i, σ)) served by <b>processor sharing</b> on the instance's cores (each of n jobs runs at rate
 * min(1, k/n); implemented with a virtual-time clock and a per-instance heap of finish tags), then
 * the instance's calls in CSR order, sequentially, by the call plan of {@link SimTopology}
 * (independent edges Bernoulli(π), exclusive groups one draw, m ~ U{m_min..m_max}, async calls sent
 * without waiting, no synchronous re-entry into an agent on the request's path unless allowed; a
 * parallel group's invocations leave together as <em>branches</em> and the request waits for all of
 * them, failing as soon as one fails: see {@link #fanOut});
 * every synchronous invocation makes up to A attempts, each with timeout τ; a failed or timed-out
 * attempt is retried after the edge's backoff (default fixed 500 ms) while the thread is held. Timed-out attempts are not
 * cancelled: the callee keeps working on them (wasted work); the spec's {@code deadlinePropagation=on}
 * ablation (cancellation) is not implemented. A request fails if an invocation
 * exhausts its attempts (the rest of its calls are skipped), and otherwise with probability ε_i.
 * Network delay is zero.
 *
 * <p><b>Crash/restart.</b> If an instance's queue length, averaged over each 1-s window, is ≥ 0.99 Q
 * (rounded down to whole requests; a sampled value would flicker below Q after every departure) for
 * 10 consecutive windows, it
 * crashes: its queued and running requests fail at once (connection reset). Calls routed to it then
 * fail after the 1-s connect timeout until the load balancer ejects it (3 failed 5-s health checks,
 * i.e. 15 s after the crash). It restarts after U(20, 40) s (stream {@code restart}) with CPU
 * capacity ramping from 1/3 to 1 over 30 s (updated every second). Fail-stop faults (F1, F3) use the
 * same crash without restart.
 *
 * <p><b>Control loop.</b> Every simulated second a {@link TelemetrySnapshot} of the true state is
 * hashed into the SHA-256 trace, the FAILED states are updated (success ratio over the trailing
 * 10 s &lt; 0.5 with ≥ 10 requests, ≥ 50% of instances down, isolated, or shed ≥ 90%), and the
 * guard gets the {@link GuardView} of the snapshot. Its actions take effect after δ_act, in
 * (time, priority, seq) order, for at most 600 s; every request they reject counts as an error.
 *
 * <p><b>Metrics</b> (section 6): S, S_peak and the onsets are evaluated at the 1-s ticks from t_f
 * on, over agents not in F0; availability counts entry requests arriving in [t_f, T].
 *
 * <p><b>Randomness</b> comes from named SplitMix64 streams (traffic/&lt;agent&gt;, service/&lt;agent&gt;,
 * lb/&lt;agent&gt;, fault, restart, shed), so arms of one seed share arrivals and faults (CRN). A
 * replica ({@link Episode#runReplica}) draws every stream but {@code fault} from another seed.
 * Entry traffic is Poisson with rate {@code ℓ λ^d_ext (1 + 0.1 sin(2πt/600 s)) × surge(t)}, by
 * thinning against a fixed upper bound. Time is integer nanoseconds; the event queue orders by
 * (time, priority, seq).
 *
 * <p><b>Immune agent</b> (CPB 6.7 counterfactual, {@link Episode#runImmune}): one agent gets ×10
 * every capacity ({@link SimTopology#withCapacityScaled}) and no fault; every random stream is
 * created and drawn as in the ordinary episode of the same seed, so the two stay paired until
 * their dynamics differ.
 *
 * <p><b>Baselines</b> ({@link EpisodeParams#baseline()}, spec 5): the in-band protections of
 * {@link Baseline} run inside the request path, with the state machines of
 * {@code io.aura.cascade.baseline}. A "client" is a (caller instance, callee agent) pair; B1 breakers
 * and bulkheads, B3 throttles and retry budgets and B4 outlier detectors exist once per client
 * (created on first use), B2 guards once per instance. Hooks: an attempt may be failed locally
 * before it is sent (breaker OPEN, bulkhead full, throttled: counted as {@code blocked}, retried
 * like any failure, no load on the callee); the attempt's outcome (success, error response,
 * admission rejection, timeout, connect failure) is reported to the client's state machines; B3
 * asks its retry budget before each retry; B4 filters the callee instances a caller instance's
 * load balancer may pick (if it would leave none, the ejections are ignored, like Envoy's panic
 * mode); B2 admits or rejects each inbound request at the picked instance. Only B3 draws random
 * numbers (stream {@code sre-throttle}), so all other streams stay common across arms.
 */
final class Des {
  private static final long SEC = 1_000_000_000L;
  private static final long CONNECT_TIMEOUT_NS = SEC;
  private static final long EJECT_AFTER_NS = 15 * SEC;
  private static final long WARMUP_RAMP_NS = 30 * SEC;

  private static final int K_ENTRY = 1;
  private static final int K_PS = 2;
  private static final int K_TIMEOUT = 3;
  private static final int K_RETRY = 4;
  private static final int K_CONNFAIL = 5;
  private static final int K_TICK = 6;
  private static final int K_FAULT_START = 7;
  private static final int K_FAULT_END = 8;
  private static final int K_ACTION = 9;
  private static final int K_RESTART = 10;
  private static final int K_EJECT = 11;

  private static final int P_FAULT = 0;
  private static final int P_ACTION = 1;
  private static final int P_NORMAL = 5;
  private static final int P_TICK = 20;

  private static final byte FREE = 0;
  private static final byte QUEUED = 1;
  private static final byte CPU = 2;
  private static final byte WAITING = 3;
  private static final byte RETRY_WAIT = 4;
  /** A request waiting for the invocations of a parallel group (its branches). */
  private static final byte FANOUT = 5;

  /** rParent of an entry request. */
  private static final int ENTRY_PARENT = -1;
  /** rParent of a request delivered by an async (message-queue) edge: nobody waits for it. */
  private static final int ASYNC_PARENT = -2;

  private static final byte UP = 0;
  private static final byte DOWN = 1;
  private static final byte EJECTED = 2;

  /** Latency histogram: bucket 0 below 1 µs, then 4 buckets per octave up to 2^42 ns. */
  private static final int HB = 130;

  private final SimTopology t;
  /** The immune agent (capacity × 10, never faulted), −1 if none. */
  private final int immune;
  private final EpisodeParams p;
  private final CascadeGuard guard;
  /** Told each simulated second (progress of a long episode), or null. */
  private java.util.function.LongConsumer secondListener;
  private final FaultMagnitudes mag;
  private final GuardView view;
  private final int n;
  private final int nEdges;
  private final long endNs;
  private final EventQueue q = new EventQueue();
  private long now;

  // ---- instances
  private final int[] instOff;
  private final int[] instAgent;
  private final int[] busy;
  private final int[] qOff;
  private final int[] qHead;
  private final int[] qLen;
  private final int[] qBuf;
  private final byte[] instState;
  private final long[] instEpoch;
  private final long[] warmStart;
  private final int[] fullSecs;
  private final double[] qArea;
  private final long[] qLast;
  private final int[] psN;
  private final double[] psV;
  private final long[] psLast;
  private final double[] psCap;
  private final long[] psPending;
  private final int[] psOff;
  private final double[] psTag;
  private final int[] psReq;
  private final int[] upCount;

  // ---- requests (pooled)
  private int[] rAgent = new int[1024];
  private int[] rInst = new int[1024];
  private int[] rParent = new int[1024];
  private long[] rPAtt = new long[1024];
  private byte[] rState = new byte[1024];
  private long[] rStart = new long[1024];
  private int[] rEdge = new int[1024];
  private int[] rLeft = new int[1024];
  private int[] rAttNo = new int[1024];
  private long[] rAtt = new long[1024];
  /**
   * Whether the record is a <em>branch</em>: one invocation of a parallel group, made on behalf of
   * its parent request (rParent, joined by the token rPAtt = the parent's rAtt while it is FANOUT).
   * A branch holds no thread and does no CPU work; it makes the invocation's attempts, retries and
   * timeouts with the parent's agent and instance, so client-side baselines see it as the caller.
   */
  private boolean[] rBranch = new boolean[1024];
  /**
   * Whether the arm's protection has refused a call of this request or of a request it waited on
   * ({@link #markRefused}): the guard's actions (isolation, breakers, rate limits, shedding) or a
   * baseline's client-side or server-side refusals (B1 breaker and bulkhead, B2 admission, B3
   * throttle and retry budget).
   */
  private boolean[] rRefused = new boolean[1024];
  /** Of a FANOUT request: its branches not yet ended. */
  private int[] rPending = new int[1024];
  private int[] freeStack = new int[1024];
  private int freeTop;
  private int hw;
  private long attemptCounter;
  private long requestsCreated;
  private final int[] inFlight;

  // ---- fault state
  private final double[] slow;
  private final double[] errOverride;
  private final int[] attempts;
  private double surge = 1.0;
  private double surgeMax = 1.0;
  /** The entry agent of an F4 one-entry surge, or −1 when the surge (if any) hits all entries. */
  private int surgeAgent = -1;
  private FaultKind faultApplied = FaultKind.NONE;
  private long faultNs = Long.MAX_VALUE;
  private int[] faulted = new int[0];
  private boolean[] inF0;

  // ---- actions
  private final long[] isolateUntil;
  private final double[] shedFrac;
  private final long[] shedUntil;
  private final long[] brOutUntil;
  private final long[] brInUntil;
  private final long[] brEdgeUntil;
  private final double[] rlInRate;
  private final long[] rlInUntil;
  private final double[] rlInTokens;
  private final long[] rlInLast;
  private final double[] rlEdgeRate;
  private final long[] rlEdgeUntil;
  private final double[] rlEdgeTokens;
  private final long[] rlEdgeLast;
  private final List<Action> pending = new ArrayList<>();
  private final List<EpisodeResult.AppliedAction> applied = new ArrayList<>();
  private final long maxActionNs = GuardConfig.MAX_ACTION_DURATION_MS * 1_000_000L;

  // ---- rngs
  private final SplitMix64[] traffic;
  private final SplitMix64[] service;
  private final SplitMix64[] lb;
  private final SplitMix64 faultRng;
  private final SplitMix64 restartRng;
  private final SplitMix64 shedRng;
  private final SplitMix64[] jitterRng;
  /** Seed of the retry-jitter streams: the master seed, or a replica's ({@link #noiseSeed}). */
  private final long seed;

  // ---- static token buckets (LLM provider RPM limit)
  private final double[] tbTokens;
  private final long[] tbLast;

  /** Pooled latency histogram of every request served after the warm-up (per-call RT). */
  private final long[] callHist = new long[HB];
  // ---- per-second statistics
  private final int[] sArr;
  private final int[] sSucc;
  private final int[] sErr;
  private final int[] sRej;
  private final int[] sTimeout;
  private final int[] sBlocked;
  /** Attempts towards each agent this second, and those of them an action of the SUT refused on the way in (for the FAILED rule). */
  private final int[] sInAsked;
  private final int[] sInRefused;
  private final int[] sDown;
  private final double[] cpuArea;
  private final int[] hist;
  private final int[] eAtt;
  private final int[] eFail;
  /** Per-edge latency histogram of the attempts that ended in the current second ({@link #HB} buckets per edge). */
  private final int[] eHist;
  /** Lowest and highest bucket of {@link #eHist} used this second per edge (hi −1: none). */
  private final int[] eLo;
  private final int[] eHi;
  /** When each request's current attempt was sent to its callee. */
  private long[] rSent = new long[1024];
  /** The SUT's actions in force, newest per target ({@link ActiveActions#key}). */
  private final ActiveActions active = new ActiveActions();
  private final int[] winSucc;
  private final int[] winTot;
  private final int[] winInAsked;
  private final int[] winInRefused;
  private int winPos;

  // ---- episode metrics
  /** Per agent, the tick (simulated s) at which it was first FAILED at or after t_f; −1 if never (S counts the others). */
  private final int[] firstFailedSec;
  private int everFailedCount;
  private final CascadeTrack track = new CascadeTrack();
  private long entryOffered;
  private long entrySucceeded;
  /** Entry requests offered in [t_f, T] that failed with a refusal by the arm's protection in their call tree. */
  private long entryLostToProtection;
  private double entryLatencySumNs;
  private long entryLatencyCount;
  private long events;
  private long crashes;
  private final MessageDigest sha;
  private final ByteBuffer hashBuf;
  /** The guard's {@code risk} of each {@code predict} call, in call order (call k at second k + 1). */
  private final double[] riskByCall;
  /** Wall time (ns) of each {@code predict} call, in call order; harness-side, never hashed. */
  private final long[] predictNs;
  private int predictCalls;

  // ---- in-band baselines (spec 5); arrays are null when the arm does not use them
  private final Baseline baseline;
  /** Per-attempt timeout per edge, 0 = none (B0-notimeout). */
  private final long[] attemptTimeoutNs;
  /** First client index of each instance; client = cliOff[inst] + cliSlot[edge]. */
  private int[] cliOff;
  /** Edge → slot among the distinct callees of its caller (edges to one callee share a slot). */
  private int[] cliSlot;
  private CircuitBreaker[] breakers;
  private Bulkhead[] bulkheads;
  private SreAdaptiveThrottle[] throttles;
  private SreRetryBudget[] budgets;
  private EnvoyOutlierDetector[] outliers;
  private SentinelSystemGuard[] sentinels;
  private SplitMix64 throttleRng;
  /**
   * B4: Envoy defaults with always_eject_one_host on, i.e. the "at least one host regardless"
   * rule the spec cites (Envoy's docs up to 1.30; since 1.31 it needs this flag).
   */
  private EnvoyOutlierConfig outlierConfig;
  private long sentinelRejectCpuNs;
  /** Per request: start time of its current attempt (null unless a client baseline runs). */
  private long[] rAttStart;
  /** Per request: callee instance its current attempt went to, −1 if none. */
  private int[] rAttHost;
  /** Per request: {@link #F_BULKHEAD} and {@link #F_REJECTED} flags of the current attempt. */
  private byte[] rAttFlags;
  private static final byte F_BULKHEAD = 1;
  private static final byte F_REJECTED = 2;
  private static final int OUT_OK = 0;
  private static final int OUT_ERROR = 1;
  private static final int OUT_REJECTED = 2;
  private static final int OUT_TIMEOUT = 3;
  private static final int OUT_CONNFAIL = 4;
  private long blBlocked;
  private long blRejected;
  private long blRetriesDenied;
  private long blTrips;
  private long blFirstTripNs = -1;

  Des(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed) {
    this(topology, params, guard, seed, -1);
  }

  /**
   * An episode in which agent {@code immuneAgent} is immune (CPB 6.7): every capacity of it ×
   * {@link Episode#IMMUNE_CAPACITY_FACTOR} ({@link SimTopology#withCapacityScaled}) and no fault on
   * it (see {@link Episode#runImmune}); −1 for an ordinary episode.
   */
  Des(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed, int immuneAgent) {
    this(topology, params, guard, seed, immuneAgent, 0);
  }

  /**
   * The seed of every random stream but the fault's: {@code seed} itself for replica 0 (the
   * ordinary episode), else stream {@code des-replica/<replica>} of it ({@link Episode#runReplica}).
   */
  static long noiseSeed(long seed, int replica) {
    if (replica < 0) {
      throw new IllegalArgumentException("replica " + replica + " < 0");
    }
    return replica == 0 ? seed : Streams.streamSeed(seed, "des-replica/" + replica);
  }

  /**
   * As above; {@code replica} > 0 redraws every random stream except {@code fault} (arrivals, service
   * times, load balancing, restarts, shedding, retry jitter, telemetry noise) from {@link #noiseSeed},
   * so the episode keeps its topology and its fault (kind, t_f, target, magnitudes) and is another
   * realisation of the same stochastic system.
   */
  Des(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed, int immuneAgent, int replica) {
    long noise = noiseSeed(seed, replica);
    if (immuneAgent < -1 || immuneAgent >= topology.n) {
      throw new IllegalArgumentException("immune agent " + immuneAgent + " outside [0, " + topology.n + ")");
    }
    this.immune = immuneAgent;
    this.t = immuneAgent >= 0 ? topology.withCapacityScaled(immuneAgent, Episode.IMMUNE_CAPACITY_FACTOR) : topology;
    this.p = params;
    this.guard = guard;
    this.mag = params.magnitudes();
    this.view = new GuardView(topology, params.realisticView(), noise);
    n = t.n;
    nEdges = t.callee.length;
    endNs = p.durationSec() * SEC;
    riskByCall = new double[Math.toIntExact(p.durationSec())];
    predictNs = new long[Math.toIntExact(p.durationSec())];
    instOff = new int[n + 1];
    for (int i = 0; i < n; i++) {
      instOff[i + 1] = instOff[i] + t.instances[i];
    }
    int ni = instOff[n];
    instAgent = new int[ni];
    busy = new int[ni];
    qOff = new int[ni + 1];
    qHead = new int[ni];
    qLen = new int[ni];
    instState = new byte[ni];
    instEpoch = new long[ni];
    warmStart = new long[ni];
    Arrays.fill(warmStart, Long.MIN_VALUE / 2);
    fullSecs = new int[ni];
    qArea = new double[ni];
    qLast = new long[ni];
    psN = new int[ni];
    psV = new double[ni];
    psLast = new long[ni];
    psCap = new double[ni];
    psPending = new long[ni];
    Arrays.fill(psPending, Long.MAX_VALUE);
    psOff = new int[ni + 1];
    upCount = new int[n];
    for (int i = 0; i < n; i++) {
      upCount[i] = t.instances[i];
      for (int x = instOff[i]; x < instOff[i + 1]; x++) {
        instAgent[x] = i;
        qOff[x + 1] = qOff[x] + t.queueCapacity[i];
        psOff[x + 1] = psOff[x] + t.threadsPerInstance[i];
        psCap[x] = t.coresPerInstance[i];
      }
    }
    qBuf = new int[Math.max(1, qOff[ni])];
    psTag = new double[Math.max(1, psOff[ni])];
    psReq = new int[Math.max(1, psOff[ni])];
    inFlight = new int[n];
    slow = new double[n];
    Arrays.fill(slow, 1.0);
    errOverride = new double[n];
    attempts = t.maxAttempts.clone();
    inF0 = new boolean[n];
    isolateUntil = new long[n];
    shedFrac = new double[n];
    shedUntil = new long[n];
    brOutUntil = new long[n];
    brInUntil = new long[n];
    brEdgeUntil = new long[nEdges];
    rlInRate = new double[n];
    rlInUntil = new long[n];
    rlInTokens = new double[n];
    rlInLast = new long[n];
    rlEdgeRate = new double[nEdges];
    rlEdgeUntil = new long[nEdges];
    rlEdgeTokens = new double[nEdges];
    rlEdgeLast = new long[nEdges];
    traffic = new SplitMix64[n];
    service = new SplitMix64[n];
    lb = new SplitMix64[n];
    for (int i = 0; i < n; i++) {
      if (t.entryRatePerSec[i] > 0) {
        traffic[i] = Streams.stream(noise, "traffic/" + i);
      }
      service[i] = Streams.stream(noise, "service/" + i);
      lb[i] = Streams.stream(noise, "lb/" + i);
    }
    faultRng = Streams.stream(seed, "fault");
    restartRng = Streams.stream(noise, "restart");
    shedRng = Streams.stream(noise, "shed");
    jitterRng = new SplitMix64[n];
    this.seed = noise;
    tbTokens = new double[n];
    tbLast = new long[n];
    for (int i = 0; i < n; i++) {
      tbTokens[i] = t.tokenBurst[i];
    }
    sArr = new int[n];
    sSucc = new int[n];
    sErr = new int[n];
    sRej = new int[n];
    sTimeout = new int[n];
    sBlocked = new int[n];
    sInAsked = new int[n];
    sInRefused = new int[n];
    sDown = new int[n];
    cpuArea = new double[ni];
    hist = new int[n * HB];
    eAtt = new int[nEdges];
    eFail = new int[nEdges];
    eHist = new int[nEdges * HB];
    eLo = new int[nEdges];
    eHi = new int[nEdges];
    Arrays.fill(eLo, HB);
    Arrays.fill(eHi, -1);
    winSucc = new int[n * 10];
    winTot = new int[n * 10];
    winInAsked = new int[n * 10];
    winInRefused = new int[n * 10];
    firstFailedSec = new int[n];
    Arrays.fill(firstFailedSec, -1);
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
    hashBuf = ByteBuffer.allocate(8 * (1 + 13 * n + 2 * nEdges));
    baseline = params.baseline();
    outlierConfig = params.tuning().envoy();
    attemptTimeoutNs = t.timeoutNs.clone();
    initBaseline(noise);
  }

  /** Tells {@code listener} the simulated second at each 1-s tick (no effect on the episode); returns this. */
  Des onSecond(java.util.function.LongConsumer listener) {
    this.secondListener = listener;
    return this;
  }

  EpisodeResult run() {
    guard.init(view.staticTopology(),
        new GuardConfig(1000, p.actuationDelayMs(), GuardConfig.MAX_ACTION_DURATION_MS, p.predictOnly()));
    scheduleFault();
    for (int i = 0; i < n; i++) {
      if (traffic[i] != null) {
        scheduleEntry(i, 0);
      }
    }
    push(SEC, P_TICK, K_TICK, 0, 0);
    while (!q.isEmpty() && q.peekTime() <= endNs) {
      q.pop();
      now = q.time();
      events++;
      long a = q.a();
      int kind = (int) (a >>> 40);
      int id = (int) (a & 0xFF_FFFF_FFFFL);
      long b = q.b();
      switch (kind) {
        case K_ENTRY -> onEntry(id);
        case K_PS -> onPs(id, b);
        case K_TIMEOUT -> onTimeouts(id);
        case K_CONNFAIL -> {
          if (rState[id] == WAITING && rAtt[id] == b) {
            attemptEnded(id);
            sTimeout[rAgent[id]]++;
            if (cliOff != null) {
              attemptOutcome(id, OUT_CONNFAIL);
            }
            attemptFailed(id);
          }
        }
        case K_RETRY -> {
          if (rState[id] == RETRY_WAIT && rAtt[id] == b) {
            if (rBranch[id] && !parentWaits(id)) {
              releaseBranch(id); // its parent failed or was killed during the wait
            } else {
              issueAttempt(id);
            }
          }
        }
        case K_TICK -> {
          onTick();
          if (secondListener != null) {
            secondListener.accept(now / SEC);
          }
        }
        case K_FAULT_START -> faultStart();
        case K_FAULT_END -> faultEnd();
        case K_ACTION -> applyAction(pending.get(id));
        case K_RESTART -> restart(id);
        case K_EJECT -> {
          if (instState[id] == DOWN && instEpoch[id] == b) {
            instState[id] = EJECTED;
          }
        }
        default -> throw new IllegalStateException("unknown event kind " + kind);
      }
    }
    return result();
  }

  private void push(long time, int prio, int kind, int id, long b) {
    q.push(time, prio, ((long) kind << 40) | (id & 0xFF_FFFF_FFFFL), b);
  }

  // ================================================================== traffic

  private double entryRate(int i, long timeNs) {
    double s = 1 + p.sinusoidAmplitude() * StrictMath.sin(2 * Math.PI * (timeNs / (double) SEC) / 600.0);
    // an immune entry is not in the surge's target set; its thinning bound (entryRateMax) keeps the
    // surge so that its traffic stream draws exactly as in the paired episode
    boolean surged = (surgeAgent < 0 || surgeAgent == i) && i != immune;
    return p.loadFactor() * t.entryRatePerSec[i] * s * (surged ? surge : 1.0);
  }

  private double entryRateMax(int i) {
    return p.loadFactor() * t.entryRatePerSec[i] * (1 + p.sinusoidAmplitude())
        * (surgeAgent < 0 || surgeAgent == i ? surgeMax : 1.0);
  }

  private void scheduleEntry(int i, long from) {
    double max = entryRateMax(i);
    if (!(max > 0)) {
      return;
    }
    long gap = (long) Math.ceil(traffic[i].exponential(SEC / max));
    long at = from + Math.max(1, gap);
    if (at <= endNs) {
      push(at, P_NORMAL, K_ENTRY, i, 0);
    }
  }

  private void onEntry(int i) {
    boolean accept = traffic[i].nextDouble() * entryRateMax(i) < entryRate(i, now);
    scheduleEntry(i, now);
    if (accept) {
      if (now >= faultNs) {
        entryOffered++;
      }
      arrive(i, ENTRY_PARENT, 0);
    }
  }

  // ================================================================== requests

  private int alloc() {
    if (freeTop > 0) {
      return freeStack[--freeTop];
    }
    if (hw == rAgent.length) {
      int c = hw * 2;
      rAgent = Arrays.copyOf(rAgent, c);
      rInst = Arrays.copyOf(rInst, c);
      rParent = Arrays.copyOf(rParent, c);
      rPAtt = Arrays.copyOf(rPAtt, c);
      rState = Arrays.copyOf(rState, c);
      rStart = Arrays.copyOf(rStart, c);
      rEdge = Arrays.copyOf(rEdge, c);
      rLeft = Arrays.copyOf(rLeft, c);
      rAttNo = Arrays.copyOf(rAttNo, c);
      rAtt = Arrays.copyOf(rAtt, c);
      rSent = Arrays.copyOf(rSent, c);
      rBranch = Arrays.copyOf(rBranch, c);
      rRefused = Arrays.copyOf(rRefused, c);
      rPending = Arrays.copyOf(rPending, c);
      freeStack = Arrays.copyOf(freeStack, c);
      if (rAttStart != null) {
        rAttStart = Arrays.copyOf(rAttStart, c);
        rAttHost = Arrays.copyOf(rAttHost, c);
        rAttFlags = Arrays.copyOf(rAttFlags, c);
      }
    }
    return hw++;
  }

  private void release(int r) {
    if (rAttFlags != null && (rAttFlags[r] & F_BULKHEAD) != 0) {
      releaseBulkhead(r);
    }
    inFlight[rAgent[r]]--;
    rState[r] = FREE;
    rAtt[r] = 0;
    freeStack[freeTop++] = r;
  }

  /** A request (entry if {@code parent < 0}, else attempt {@code patt} of {@code parent}) arrives at agent a. */
  private void arrive(int a, int parent, long patt) {
    sArr[a]++;
    boolean refused = rejectInbound(a);
    if (refused || (t.tokenRatePerSec[a] > 0 && !takeToken(a))) {
      if (refused) {
        protectionRefused(parent, patt);
      }
      reject(a, parent, patt);
      return;
    }
    int inst = outliers != null && parent >= 0 ? pickInstanceB4(a, parent) : pickInstance(a);
    if (inst < 0) {
      reject(a, parent, patt);
      return;
    }
    if (instState[inst] == DOWN) {
      // connect timeout: the caller learns of the failure after 1 s
      sErr[a]++;
      sRej[a]++;
      if (parent >= 0) {
        push(now + CONNECT_TIMEOUT_NS, P_NORMAL, K_CONNFAIL, parent, patt);
      }
      return;
    }
    if (sentinels != null && !sentinelAdmits(inst)) {
      protectionRefused(parent, patt);
      reject(a, parent, patt);
      return;
    }
    boolean freeThread = busy[inst] < t.threadsPerInstance[a];
    if (!freeThread && qLen[inst] >= t.queueCapacity[a]) {
      reject(a, parent, patt);
      return;
    }
    int r = alloc();
    requestsCreated++;
    inFlight[a]++;
    initRecord(r, a, inst, parent, patt);
    if (freeThread) {
      start(r);
    } else {
      rState[r] = QUEUED;
      queueArea(inst);
      qBuf[qOff[inst] + (qHead[inst] + qLen[inst]) % t.queueCapacity[a]] = r;
      qLen[inst]++;
    }
  }

  /** A fresh request or branch record at agent a's instance inst, made by attempt (or fan-out) patt of parent. */
  private void initRecord(int r, int a, int inst, int parent, long patt) {
    rAgent[r] = a;
    rInst[r] = inst;
    rParent[r] = parent;
    rPAtt[r] = patt;
    rStart[r] = now;
    rLeft[r] = 0;
    rAttNo[r] = 0;
    rAtt[r] = 0;
    rRefused[r] = false;
  }

  /**
   * The arm's protection refused, on arrival, a request made by attempt {@code patt} of
   * {@code parent}: an entry request offered after t_f is lost to it; a caller still waiting on that
   * attempt, and the requests waiting on that caller, are marked ({@link #markRefused}).
   */
  private void protectionRefused(int parent, long patt) {
    if (parent == ENTRY_PARENT) {
      if (now >= faultNs) {
        entryLostToProtection++;
      }
    } else if (parent >= 0 && (rState[parent] == WAITING || rState[parent] == FANOUT) && rAtt[parent] == patt) {
      markRefused(parent);
    }
  }

  /**
   * Marks request r, and up its chain every request that waits on the one below it, as having had a
   * call refused by the arm's protection. An entry request that then fails counts in
   * {@link EpisodeResult#entryLostToProtection()}, even if the refused call was retried with success
   * and the request failed for another reason later (the direct charge; see there for what it leaves out).
   */
  private void markRefused(int r) {
    int x = r;
    while (!rRefused[x]) {
      rRefused[x] = true;
      int par = rParent[x];
      if (par < 0 || (rState[par] != WAITING && rState[par] != FANOUT) || rAtt[par] != rPAtt[x]) {
        return;
      }
      x = par;
    }
  }

  private void reject(int a, int parent, long patt) {
    sErr[a]++;
    sRej[a]++;
    if (rAttFlags != null && parent >= 0 && rAtt[parent] == patt) {
      rAttFlags[parent] |= F_REJECTED;
    }
    if (parent >= 0) {
      childResponse(parent, patt, false);
    }
  }

  /** The static token bucket of agent a (spec 2b provider RPM limit): false = empty (HTTP 429). */
  private boolean takeToken(int a) {
    tbTokens[a] = Math.min(t.tokenBurst[a], tbTokens[a] + (now - tbLast[a]) * 1e-9 * t.tokenRatePerSec[a]);
    tbLast[a] = now;
    if (tbTokens[a] < 1.0) {
      return false;
    }
    tbTokens[a] -= 1.0;
    return true;
  }

  private int pickInstance(int a) {
    int lo = instOff[a];
    int hi = instOff[a + 1];
    int cand = 0;
    for (int x = lo; x < hi; x++) {
      if (instState[x] != EJECTED) {
        cand++;
      }
    }
    if (cand == 0) {
      return -1;
    }
    int k = cand == 1 ? 0 : lb[a].nextInt(cand);
    for (int x = lo; x < hi; x++) {
      if (instState[x] != EJECTED && k-- == 0) {
        return x;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private void start(int r) {
    int inst = rInst[r];
    int a = rAgent[r];
    busy[inst]++;
    rState[r] = CPU;
    rEdge[r] = t.edgeStart[a] - 1;
    double d = t.cpuDemandNs[a] * slow[a];
    double sigma = t.serviceSigma[a];
    double demand = sigma > 0 ? d * StrictMath.exp(sigma * service[a].nextGaussian()) : service[a].exponential(d);
    psAdd(inst, r, demand);
  }

  /**
   * Samples the call plan of request r step by step (see {@link SimTopology}): independent edges
   * are Bernoulli(π), an exclusive group takes at most one member with one uniform draw, the
   * multiplicity is U{m_min..m_max}; async calls are sent without waiting; a synchronous call to an
   * agent on the request's path is skipped unless re-entry is allowed.
   */
  private void nextCall(int r) {
    int a = rAgent[r];
    SplitMix64 rng = service[a];
    while (true) {
      if (rLeft[r] > 0) {
        rLeft[r]--;
        rAttNo[r] = 0;
        if (t.async[rEdge[r]]) {
          sendAsync(r);
          continue;
        }
        issueAttempt(r);
        return;
      }
      int e = ++rEdge[r];
      if (e >= t.edgeStart[a + 1]) {
        double eps = Math.max(t.intrinsicError[a], errOverride[a]);
        boolean ok = rng.nextDouble() >= eps;
        finish(r, ok);
        return;
      }
      if (t.parFirst[e] >= 0) {
        if (fanOut(r, e)) {
          return; // waiting for the group, or already failed
        }
        continue; // nothing synchronous was invoked
      }
      int g = t.groupFirst[e];
      int c = e;
      if (g >= 0) {
        if (g != e) {
          continue; // decided at the group's first edge
        }
        double u = rng.nextDouble();
        c = -1;
        for (int k = e; k < t.groupEnd[e]; k++) {
          u -= t.invokeProb[k];
          if (u < 0) {
            c = k;
            break;
          }
        }
        if (c < 0) {
          continue; // no member chosen (Σπ < 1)
        }
        rEdge[r] = c;
      } else if (rng.nextDouble() >= t.invokeProb[e]) {
        continue;
      }
      if (!t.reentry && !t.async[c] && onPath(r, t.callee[c])) {
        continue;
      }
      int lo = t.multiplicity[c];
      int hi = t.multiplicityMax[c];
      rLeft[r] = hi == lo ? lo : lo + rng.nextInt(hi - lo + 1);
    }
  }

  /**
   * Issues the parallel group that starts at edge {@code first} for request r (spec D3, "parallel
   * groups"): every member edge is invoked with probability π, m ~ U{m_min..m_max} times, with the
   * draws in CSR order as in {@link #nextCall}; async invocations are sent, every synchronous one
   * becomes a branch, and all branches' first attempts are issued at once. r then waits (FANOUT)
   * until every branch has succeeded, and fails as soon as one has failed (its attempts exhausted):
   * the other branches are then orphans, whose attempts in flight still load their callees (no
   * cancellation, as for timed-out attempts) but are not retried.
   *
   * @return true if r now waits or has already failed; false if nothing synchronous was invoked
   */
  private boolean fanOut(int r, int first) {
    int a = rAgent[r];
    SplitMix64 rng = service[a];
    int end = t.parEnd[first];
    int[] branches = null;
    int made = 0;
    long token = ++attemptCounter;
    for (int c = first; c < end; c++) {
      if (rng.nextDouble() >= t.invokeProb[c]) {
        continue;
      }
      if (!t.reentry && !t.async[c] && onPath(r, t.callee[c])) {
        continue;
      }
      int lo = t.multiplicity[c];
      int hi = t.multiplicityMax[c];
      int m = hi == lo ? lo : lo + rng.nextInt(hi - lo + 1);
      for (int k = 0; k < m; k++) {
        if (t.async[c]) {
          rEdge[r] = c;
          sendAsync(r);
          continue;
        }
        int br = alloc();
        initRecord(br, a, rInst[r], r, token);
        rEdge[br] = c;
        rBranch[br] = true;
        rState[br] = RETRY_WAIT; // not yet issued
        if (branches == null) {
          branches = new int[Math.max(4, end - first)];
        } else if (made == branches.length) {
          branches = Arrays.copyOf(branches, made * 2);
        }
        branches[made++] = br;
      }
    }
    rEdge[r] = end - 1; // the plan goes on after the group
    if (made == 0) {
      return false;
    }
    rState[r] = FANOUT;
    rAtt[r] = token;
    rPending[r] = made;
    for (int k = 0; k < made; k++) {
      // issued even if an earlier branch already failed r: the calls leave together
      issueAttempt(branches[k]);
    }
    return true;
  }

  /** Whether branch br's parent still waits for it. */
  private boolean parentWaits(int br) {
    int parent = rParent[br];
    return rState[parent] == FANOUT && rAtt[parent] == rPAtt[br];
  }

  /** Branch br has ended (its invocation succeeded, or failed for good). */
  private void branchEnded(int br, boolean ok) {
    int parent = rParent[br];
    boolean waits = parentWaits(br);
    releaseBranch(br);
    if (!waits) {
      return; // an orphan: its parent already failed or was killed
    }
    if (!ok) {
      sDown[rAgent[parent]]++;
      finish(parent, false);
    } else if (--rPending[parent] == 0) {
      nextCall(parent);
    }
  }

  private void releaseBranch(int br) {
    if (rAttFlags != null && (rAttFlags[br] & F_BULKHEAD) != 0) {
      releaseBulkhead(br);
    }
    rBranch[br] = false;
    rState[br] = FREE;
    rAtt[br] = 0;
    freeStack[freeTop++] = br;
  }

  /**
   * Whether agent b is on r's call path: r's agent or that of an ancestor still waiting for the
   * attempt that created the next one down. An orphan (its caller timed out) has no known path
   * above it, so a re-entry from orphaned work is not detected.
   */
  private boolean onPath(int r, int b) {
    int x = r;
    while (true) {
      if (rAgent[x] == b) {
        return true;
      }
      int par = rParent[x];
      if (par < 0 || (rState[par] != WAITING && rState[par] != FANOUT) || rAtt[par] != rPAtt[x]) {
        return false;
      }
      x = par;
    }
  }

  /** One async call of r on its current edge: delivered unless blocked, never waited for. */
  private void sendAsync(int r) {
    int e = rEdge[r];
    int a = rAgent[r];
    int b = t.callee[e];
    eAtt[e]++;
    if (blockedOutbound(a, b, e)) {
      sBlocked[a]++;
      eFail[e]++;
      return;
    }
    arrive(b, ASYNC_PARENT, 0);
  }

  /** The wait before the next attempt of r on edge e ({@link SimTopology.Backoff}). */
  private long retryWait(int r, int e) {
    if (t.retryJitter[e] == 0 && t.backoffMultiplier[e] == 1.0) {
      return t.retryWaitNs[e];
    }
    int a = rAgent[r];
    if (jitterRng[a] == null) {
      jitterRng[a] = Streams.stream(seed, "retry-jitter/" + a);
    }
    double w = Math.min((double) t.maxRetryWaitNs[e], t.retryWaitNs[e] * StrictMath.pow(t.backoffMultiplier[e], rAttNo[r] - 1));
    return Math.round(w * (1 - t.retryJitter[e] * jitterRng[a].nextDouble()));
  }

  private void issueAttempt(int r) {
    int e = rEdge[r];
    int a = rAgent[r];
    int b = t.callee[e];
    rAttNo[r]++;
    long att = ++attemptCounter;
    rAtt[r] = att;
    eAtt[e]++;
    if (blockedOutbound(a, b, e) || (cliOff != null && clientRejects(r, e))) {
      sBlocked[a]++;
      markRefused(r);
      attemptFailed(r);
      return;
    }
    rState[r] = WAITING;
    rSent[r] = now;
    if (attemptTimeoutNs[e] > 0) {
      addTimeout(e, now + attemptTimeoutNs[e], r, att);
    }
    arrive(b, r, att);
  }

  private void childResponse(int parent, long patt, boolean ok) {
    if (rState[parent] != WAITING || rAtt[parent] != patt) {
      return; // the caller timed out, or was killed: wasted work
    }
    attemptEnded(parent);
    if (cliOff != null) {
      attemptOutcome(parent, ok ? OUT_OK : (rAttFlags[parent] & F_REJECTED) != 0 ? OUT_REJECTED : OUT_ERROR);
    }
    if (!ok) {
      attemptFailed(parent);
    } else if (rBranch[parent]) {
      branchEnded(parent, true);
    } else {
      nextCall(parent);
    }
  }

  /** Records the caller-side latency of r's current attempt (sent, now answered or given up) on its edge. */
  private void attemptEnded(int r) {
    int e = rEdge[r];
    int b = bucket(now - rSent[r]);
    eHist[e * HB + b]++;
    if (b < eLo[e]) {
      eLo[e] = b;
    }
    if (b > eHi[e]) {
      eHi[e] = b;
    }
  }

  private void attemptFailed(int r) {
    int e = rEdge[r];
    eFail[e]++;
    if (rBranch[r] && !parentWaits(r)) {
      releaseBranch(r); // an orphan is not retried
      return;
    }
    if (budgets != null && rAttNo[r] < attempts[e] && !retryBudgetAllows(r, e)) {
      markRefused(r);
      invocationFailed(r);
      return;
    }
    if (rAttNo[r] < attempts[e]) {
      rState[r] = RETRY_WAIT;
      push(now + retryWait(r, e), P_NORMAL, K_RETRY, r, rAtt[r]);
    } else {
      invocationFailed(r);
    }
  }

  /** r's current invocation has exhausted its attempts: the request fails (a branch: its parent). */
  private void invocationFailed(int r) {
    if (rBranch[r]) {
      branchEnded(r, false);
    } else {
      sDown[rAgent[r]]++;
      finish(r, false);
    }
  }

  private void finish(int r, boolean ok) {
    int a = rAgent[r];
    int inst = rInst[r];
    long lat = now - rStart[r];
    if (sentinels != null) {
      sentinelExit(inst, lat, ok);
    }
    if (ok) {
      sSucc[a]++;
    } else {
      sErr[a]++;
    }
    hist[a * HB + bucket(lat)]++;
    int parent = rParent[r];
    long patt = rPAtt[r];
    long started = rStart[r];
    if (started >= p.warmupSec() * SEC) {
      callHist[bucket(lat)]++;
    }
    if (!ok && parent == ENTRY_PARENT && rRefused[r] && started >= faultNs) {
      entryLostToProtection++;
    }
    release(r);
    busy[inst]--;
    if (qLen[inst] > 0) {
      queueArea(inst);
      int nx = qBuf[qOff[inst] + qHead[inst]];
      qHead[inst] = (qHead[inst] + 1) % t.queueCapacity[a];
      qLen[inst]--;
      start(nx);
    }
    if (parent >= 0) {
      childResponse(parent, patt, ok);
    } else if (ok && parent == ENTRY_PARENT) {
      if (started >= faultNs) {
        entrySucceeded++;
      }
      if (started >= p.warmupSec() * SEC) {
        entryLatencySumNs += lat;
        entryLatencyCount++;
      }
    }
  }

  /** Accumulates the time integral of the queue length (for the crash rule's 1-s average). */
  private void queueArea(int x) {
    qArea[x] += qLen[x] * (double) (now - qLast[x]);
    qLast[x] = now;
  }

  // ================================================================== timeouts

  /*
   * Per-edge timeout FIFOs. τ is constant per edge, so deadlines on an edge are issued in
   * non-decreasing order: a ring buffer per edge replaces one heap event per attempt, and the heap
   * holds at most one "edge head" event per edge. Entries whose attempt already finished are
   * skipped lazily.
   */
  private long[][] toRing;
  private int[] toHead;
  private int[] toLen;
  private boolean[] toArmed;

  private void addTimeout(int e, long deadline, int r, long att) {
    if (toRing == null) {
      toRing = new long[nEdges][];
      toHead = new int[nEdges];
      toLen = new int[nEdges];
      toArmed = new boolean[nEdges];
    }
    long[] ring = toRing[e];
    if (ring == null) {
      ring = toRing[e] = new long[3 * 16];
    }
    int cap = ring.length / 3;
    if (toLen[e] == cap) {
      long[] bigger = new long[ring.length * 2];
      for (int k = 0; k < toLen[e]; k++) {
        int from = 3 * ((toHead[e] + k) % cap);
        System.arraycopy(ring, from, bigger, 3 * k, 3);
      }
      ring = toRing[e] = bigger;
      toHead[e] = 0;
      cap = ring.length / 3;
    }
    int pos = 3 * ((toHead[e] + toLen[e]) % cap);
    ring[pos] = deadline;
    ring[pos + 1] = r;
    ring[pos + 2] = att;
    toLen[e]++;
    if (!toArmed[e]) {
      toArmed[e] = true;
      push(deadline, P_NORMAL, K_TIMEOUT, e, 0);
    }
  }

  private void onTimeouts(int e) {
    long[] ring = toRing[e];
    int cap = ring.length / 3;
    // fire all expired entries
    while (toLen[e] > 0) {
      int pos = 3 * toHead[e];
      if (ring[pos] > now) {
        break;
      }
      int r = (int) ring[pos + 1];
      long att = ring[pos + 2];
      toHead[e] = (toHead[e] + 1) % cap;
      toLen[e]--;
      if (rState[r] == WAITING && rAtt[r] == att) {
        attemptEnded(r);
        sTimeout[rAgent[r]]++;
        if (cliOff != null) {
          attemptOutcome(r, OUT_TIMEOUT);
        }
        attemptFailed(r);
        ring = toRing[e]; // attemptFailed never adds to this edge, but stay safe if it grew
        cap = ring.length / 3;
      }
    }
    // drop entries that are already answered, then re-arm on the first live one
    while (toLen[e] > 0) {
      int pos = 3 * toHead[e];
      int r = (int) ring[pos + 1];
      if (rState[r] == WAITING && rAtt[r] == ring[pos + 2]) {
        break;
      }
      toHead[e] = (toHead[e] + 1) % cap;
      toLen[e]--;
    }
    if (toLen[e] > 0) {
      push(ring[3 * toHead[e]], P_NORMAL, K_TIMEOUT, e, 0);
    } else {
      toArmed[e] = false;
    }
  }

  // ================================================================== processor sharing

  private void psAdvance(int x) {
    if (psN[x] > 0) {
      double rate = Math.min(1.0, psCap[x] / psN[x]);
      long dt = now - psLast[x];
      psV[x] += dt * rate;
      cpuArea[x] += Math.min(psN[x], psCap[x]) * (double) dt;
    }
    psLast[x] = now;
  }

  private void psAdd(int x, int r, double demand) {
    psAdvance(x);
    int off = psOff[x];
    int i = psN[x]++;
    double tag = psV[x] + demand;
    while (i > 0) {
      int par = (i - 1) >>> 1;
      if (psTag[off + par] <= tag) {
        break;
      }
      psTag[off + i] = psTag[off + par];
      psReq[off + i] = psReq[off + par];
      i = par;
    }
    psTag[off + i] = tag;
    psReq[off + i] = r;
    psReschedule(x);
  }

  private int psPop(int x) {
    int off = psOff[x];
    int top = psReq[off];
    int m = --psN[x];
    if (m > 0) {
      double tag = psTag[off + m];
      int req = psReq[off + m];
      int i = 0;
      while (true) {
        int c = 2 * i + 1;
        if (c >= m) {
          break;
        }
        if (c + 1 < m && psTag[off + c + 1] < psTag[off + c]) {
          c++;
        }
        if (psTag[off + c] >= tag) {
          break;
        }
        psTag[off + i] = psTag[off + c];
        psReq[off + i] = psReq[off + c];
        i = c;
      }
      psTag[off + i] = tag;
      psReq[off + i] = req;
    }
    return top;
  }

  /**
   * Ensures a completion event at or before the earliest finish. An already pending earlier event
   * is kept (it re-plans when it fires), so adding a job that slows the others pushes nothing.
   */
  private void psReschedule(int x) {
    if (psN[x] > 0) {
      double rate = Math.min(1.0, psCap[x] / psN[x]);
      double rem = psTag[psOff[x]] - psV[x];
      long due = now + (rem <= 0 ? 0 : (long) Math.ceil(rem / rate));
      if (due < psPending[x]) {
        psPending[x] = due;
        push(due, P_NORMAL, K_PS, x, due);
      }
    }
  }

  private final IntList done = new IntList();

  private void onPs(int x, long version) {
    if (psPending[x] != version) {
      return; // superseded by an earlier completion event
    }
    psPending[x] = Long.MAX_VALUE;
    psAdvance(x);
    done.clear();
    int off = psOff[x];
    while (psN[x] > 0 && psTag[off] <= psV[x] + 0.5) {
      done.add(psPop(x));
    }
    psReschedule(x);
    // copy: cpuDone may re-enter onPs-free paths that reuse 'done' only via this method
    int cnt = done.size;
    int[] items = cnt <= scratch.length ? scratch : (scratch = new int[cnt * 2]);
    System.arraycopy(done.a, 0, items, 0, cnt);
    for (int k = 0; k < cnt; k++) {
      int r = items[k];
      if (rState[r] == CPU && rInst[r] == x) {
        nextCall(r);
      }
    }
  }

  private int[] scratch = new int[64];

  private void psSetCapacity(int x, double cap) {
    psAdvance(x);
    psCap[x] = cap;
    psReschedule(x);
  }

  // ================================================================== crash / restart

  private void crash(int x, boolean restartLater) {
    int a = instAgent[x];
    if (instState[x] != UP) {
      return;
    }
    instState[x] = DOWN;
    long epoch = ++instEpoch[x];
    upCount[a]--;
    busy[x] = 0;
    queueArea(x);
    qLen[x] = 0;
    qHead[x] = 0;
    psN[x] = 0;
    fullSecs[x] = 0;
    push(now + EJECT_AFTER_NS, P_NORMAL, K_EJECT, x, epoch);
    if (restartLater) {
      long delay = (long) (restartRng.uniform(20, 40) * SEC);
      push(now + delay, P_NORMAL, K_RESTART, x, 0);
    }
    // fail everything the instance held (connection reset)
    int limit = hw;
    for (int r = 0; r < limit; r++) {
      if (rState[r] != FREE && rInst[r] == x && rAgent[r] == a) {
        if (rBranch[r]) {
          // a branch holds no thread; its parent dies in this loop. Its attempt in flight still loads
          // the callee, but nothing answers to the dead instance: no outcome reaches the instance's
          // client-side breaker or throttle, and a bulkhead slot is freed now, as for a killed request
          releaseBranch(r);
          continue;
        }
        int parent = rParent[r];
        long patt = rPAtt[r];
        sErr[a]++;
        if (sentinels != null) {
          sentinelExit(x, now - rStart[r], false);
        }
        release(r);
        if (parent >= 0) {
          childResponse(parent, patt, false);
        }
      }
    }
  }

  private void restart(int x) {
    if (instState[x] == UP) {
      return;
    }
    instState[x] = UP;
    instEpoch[x]++;
    upCount[instAgent[x]]++;
    warmStart[x] = now;
    psLast[x] = now;
    psSetCapacity(x, t.coresPerInstance[instAgent[x]] / 3.0);
  }

  // ================================================================== actions

  private boolean rejectInbound(int a) {
    if (isolateUntil[a] > now) {
      return true;
    }
    if (shedUntil[a] > now && shedRng.nextDouble() < shedFrac[a]) {
      return true;
    }
    if (rlInUntil[a] > now) {
      double burst = Math.max(1.0, rlInRate[a]);
      rlInTokens[a] = Math.min(burst, rlInTokens[a] + (now - rlInLast[a]) * 1e-9 * rlInRate[a]);
      rlInLast[a] = now;
      if (rlInTokens[a] < 1.0) {
        return true;
      }
      rlInTokens[a] -= 1.0;
    }
    return false;
  }

  /** Whether an action of the SUT refuses every call on edge e (a → b): isolation of either end or a breaker. */
  private boolean sutRefusesEdge(int a, int b, int e) {
    return isolateUntil[a] > now || isolateUntil[b] > now || brOutUntil[a] > now || brInUntil[b] > now
        || brEdgeUntil[e] > now;
  }

  /**
   * Whether an action of the SUT refuses this attempt on edge e (a → b). Counts the attempt towards
   * b, and as refused on b's way in when the refusal is about b or the edge (b isolated, b's
   * incoming breaker, the edge's breaker or rate limit), not about the caller (a isolated, a's
   * outgoing breaker): an agent cut off from its callers this way is unavailable by the SUT's doing
   * and counts as FAILED like a shed one ({@link #updateFailure}).
   */
  private boolean blockedOutbound(int a, int b, int e) {
    sInAsked[b]++;
    if (sutRefusesEdge(a, b, e)) {
      if (isolateUntil[a] <= now && brOutUntil[a] <= now) {
        sInRefused[b]++;
      }
      return true;
    }
    if (rlEdgeUntil[e] > now) {
      double burst = Math.max(1.0, rlEdgeRate[e]);
      rlEdgeTokens[e] = Math.min(burst, rlEdgeTokens[e] + (now - rlEdgeLast[e]) * 1e-9 * rlEdgeRate[e]);
      rlEdgeLast[e] = now;
      if (rlEdgeTokens[e] < 1.0) {
        sInRefused[b]++;
        return true;
      }
      rlEdgeTokens[e] -= 1.0;
    }
    return false;
  }

  /** Applies an action given in the guard's (visible) ids. */
  private void applyAction(Action act) {
    long until = now + Math.min(maxActionNs, act.durationMs() * 1_000_000L);
    applied.add(new EpisodeResult.AppliedAction(now, act));
    active.put(act, until);
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
      case Action.Isolate iso -> isolateUntil[view.realAgent(iso.agent(), act)] = until;
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
          rlInLast[a] = now;
        } else {
          int callee = view.realAgent(rl.callee(), act);
          for (int e = t.edgeStart[a]; e < t.edgeStart[a + 1]; e++) {
            if (t.callee[e] == callee) {
              rlEdgeRate[e] = rl.rps();
              rlEdgeUntil[e] = until;
              rlEdgeTokens[e] = Math.max(1.0, rl.rps());
              rlEdgeLast[e] = now;
            }
          }
        }
      }
    }
  }

  // ================================================================== in-band baselines (spec 5)

  private void initBaseline(long seed) {
    switch (baseline) {
      case B0, B1_R4J, B2, B4 -> { }
      case B0_NORETRY -> Arrays.fill(attempts, 1); // F8 only raises edges still at the default 3
      case B0_NOTIMEOUT -> Arrays.fill(attemptTimeoutNs, 0L);
      case B1_HYX -> {
        long hx = p.tuning().hystrix().executionTimeoutNanos();
        for (int e = 0; e < nEdges; e++) {
          attemptTimeoutNs[e] = Math.min(attemptTimeoutNs[e], hx);
        }
      }
      case B3 -> throttleRng = Streams.stream(seed, "sre-throttle");
    }
    int ni = instAgent.length;
    if (baseline == Baseline.B2) {
      sentinels = new SentinelSystemGuard[ni];
      for (int x = 0; x < ni; x++) {
        // availableProcessors() of a JVM under a CPU quota is the quota rounded up
        int cores = Math.max(1, (int) Math.ceil(t.coresPerInstance[instAgent[x]] - 1e-9));
        sentinels[x] = new SentinelSystemGuard(SentinelSystemConfig.builder(cores).build(), 0);
      }
      sentinelRejectCpuNs = SentinelSystemConfig.DEFAULT_REJECTION_CPU_NANOS;
    }
    boolean clients = baseline == Baseline.B1_R4J || baseline == Baseline.B1_HYX || baseline == Baseline.B3
        || baseline == Baseline.B4;
    if (!clients) {
      return;
    }
    cliSlot = new int[nEdges];
    int[] distinct = new int[n];
    for (int a = 0; a < n; a++) {
      int lo = t.edgeStart[a];
      int k = 0;
      for (int e = lo; e < t.edgeStart[a + 1]; e++) {
        int slot = -1;
        for (int f = lo; f < e; f++) {
          if (t.callee[f] == t.callee[e]) {
            slot = cliSlot[f];
            break;
          }
        }
        cliSlot[e] = slot >= 0 ? slot : k++;
      }
      distinct[a] = k;
    }
    cliOff = new int[ni + 1];
    for (int x = 0; x < ni; x++) {
      cliOff[x + 1] = cliOff[x] + distinct[instAgent[x]];
    }
    int nc = cliOff[ni];
    switch (baseline) {
      case B1_R4J -> breakers = new CircuitBreaker[nc];
      case B1_HYX -> {
        breakers = new CircuitBreaker[nc];
        bulkheads = new Bulkhead[nc];
      }
      case B3 -> {
        throttles = new SreAdaptiveThrottle[nc];
        budgets = new SreRetryBudget[nc];
      }
      case B4 -> outliers = new EnvoyOutlierDetector[nc];
      default -> throw new IllegalStateException("no client state for " + baseline);
    }
    rAttStart = new long[rAgent.length];
    rAttHost = new int[rAgent.length];
    rAttFlags = new byte[rAgent.length];
  }

  private int client(int r) {
    return cliOff[rInst[r]] + cliSlot[rEdge[r]];
  }

  /**
   * Client-side admission of attempt r on edge e (B1 breaker and bulkhead, B3 throttle); true =
   * failed locally. Also starts the attempt's bookkeeping.
   */
  private boolean clientRejects(int r, int e) {
    rAttStart[r] = now;
    rAttHost[r] = -1;
    rAttFlags[r] = 0;
    int c = client(r);
    switch (baseline) {
      case B1_R4J -> {
        CircuitBreaker cb = breakers[c];
        if (cb == null) {
          cb = breakers[c] = CircuitBreaker.resilience4j(p.tuning().r4j(), now);
        }
        if (!cb.tryAcquire(now)) {
          blBlocked++;
          return true;
        }
      }
      case B1_HYX -> {
        CircuitBreaker cb = breakers[c];
        if (cb == null) {
          HystrixConfig hc = p.tuning().hystrix();
          cb = breakers[c] = CircuitBreaker.hystrix(hc);
          bulkheads[c] = new Bulkhead(hc.threadPoolCoreSize());
        }
        if (!cb.tryAcquire(now)) {
          blBlocked++;
          return true; // short-circuited: not counted in the health counts
        }
        if (!bulkheads[c].tryAcquire()) {
          blBlocked++;
          CircuitState before = cb.state();
          cb.onError(now, 0); // a thread-pool rejection counts as an error
          noteTrip(before, cb);
          return true;
        }
        rAttFlags[r] |= F_BULKHEAD;
      }
      case B3 -> {
        SreAdaptiveThrottle th = throttles[c];
        if (th == null) {
          SreConfig sc = p.tuning().sre();
          th = throttles[c] = new SreAdaptiveThrottle(sc);
          budgets[c] = new SreRetryBudget(sc);
        }
        if (rAttNo[r] == 1) {
          budgets[c].onRequest(now);
        }
        if (!th.tryRequest(now, throttleRng.nextDouble())) {
          blBlocked++;
          if (blFirstTripNs < 0) {
            blFirstTripNs = now;
          }
          return true;
        }
      }
      case B4 -> { }
      default -> throw new IllegalStateException("no client admission for " + baseline);
    }
    return false;
  }

  /** Reports the outcome of r's current (sent) attempt to its client's state machines. */
  private void attemptOutcome(int r, int outcome) {
    int c = client(r);
    boolean ok = outcome == OUT_OK;
    if ((rAttFlags[r] & F_BULKHEAD) != 0) {
      releaseBulkhead(r);
    }
    switch (baseline) {
      case B1_R4J, B1_HYX -> {
        CircuitBreaker cb = breakers[c];
        CircuitState before = cb.state();
        long dur = now - rAttStart[r];
        if (ok) {
          cb.onSuccess(now, dur);
        } else {
          cb.onError(now, dur);
        }
        noteTrip(before, cb);
      }
      case B3 -> {
        // "accepted": the backend answered (success or error response), not an overload
        // rejection, a timeout or a failed connection
        if (outcome == OUT_OK || outcome == OUT_ERROR) {
          throttles[c].onAccepted(now);
        }
      }
      case B4 -> {
        int host = rAttHost[r];
        if (host >= 0) {
          // every failure of a sent attempt is a 5xx for consecutive_5xx (Envoy's default does not
          // split locally originated errors: resets, connect failures and timeouts count)
          EnvoyOutlierDetector d = outliers[c];
          long before = d.ejectionsTotal();
          d.onResponse(now, host - instOff[instAgent[host]], !ok);
          noteEjections(before, d);
        }
      }
      default -> throw new IllegalStateException("no client outcome for " + baseline);
    }
  }

  /** B4: counts the detector's ejections since {@code before} as trips. */
  private void noteEjections(long before, EnvoyOutlierDetector d) {
    if (d.ejectionsTotal() > before) {
      blTrips++;
      if (blFirstTripNs < 0) {
        blFirstTripNs = now;
      }
    }
  }

  private void noteTrip(CircuitState before, CircuitBreaker cb) {
    if (before != CircuitState.OPEN && cb.state() == CircuitState.OPEN) {
      blTrips++;
      if (blFirstTripNs < 0) {
        blFirstTripNs = now;
      }
    }
  }

  private void releaseBulkhead(int r) {
    bulkheads[client(r)].release();
    rAttFlags[r] &= (byte) ~F_BULKHEAD;
  }

  /** B3: may r, whose attempt just failed, retry? Asks (and charges) the client's retry budget. */
  private boolean retryBudgetAllows(int r, int e) {
    boolean ok = budgets[client(r)].tryRetry(now, rAttNo[r]);
    if (!ok) {
      blRetriesDenied++;
    }
    return ok;
  }

  /**
   * B4: the load balancer of the caller instance of request {@code parent} picks an instance of
   * agent a that is neither health-check ejected nor outlier-ejected in its view; with no such
   * instance outlier ejection is ignored (Envoy's panic mode). Draws from {@code lb/<a>} exactly
   * as {@link #pickInstance} does, so the arms agree until the first ejection.
   */
  private int pickInstanceB4(int a, int parent) {
    int c = cliOff[rInst[parent]] + cliSlot[rEdge[parent]];
    EnvoyOutlierDetector d = outliers[c];
    if (d == null) {
      d = outliers[c] = new EnvoyOutlierDetector(outlierConfig, t.instances[a], 0);
    }
    long before = d.ejectionsTotal();
    d.advance(now); // sweeps due now: un-ejections and success-rate ejections
    noteEjections(before, d);
    int lo = instOff[a];
    int hi = instOff[a + 1];
    int cand = 0;
    for (int x = lo; x < hi; x++) {
      if (instState[x] != EJECTED && !d.isEjected(now, x - lo)) {
        cand++;
      }
    }
    int inst;
    if (cand == 0) {
      inst = pickInstance(a);
    } else {
      int k = cand == 1 ? 0 : lb[a].nextInt(cand);
      inst = -1;
      for (int x = lo; x < hi && inst < 0; x++) {
        if (instState[x] != EJECTED && !d.isEjected(now, x - lo) && k-- == 0) {
          inst = x;
        }
      }
    }
    rAttHost[parent] = inst;
    return inst;
  }

  /** B2 admission at instance x; a rejection costs the instance 0.1 ms of CPU. */
  private boolean sentinelAdmits(int x) {
    if (sentinels[x].tryEntry(now)) {
      return true;
    }
    blRejected++;
    if (blFirstTripNs < 0) {
      blFirstTripNs = now;
    }
    psCharge(x, sentinelRejectCpuNs);
    return false;
  }

  private void sentinelExit(int x, long rtNs, boolean ok) {
    sentinels[x].onExit(now, rtNs, ok);
  }

  /** B2: load1 samples at the 5-s instants, n_runnable = jobs in the instance's CPU phase. */
  private void sentinelLoadSamples() {
    for (int x = 0; x < sentinels.length; x++) {
      sentinels[x].updateLoad(now, instState[x] == UP ? psN[x] : 0);
    }
  }

  /**
   * Charges {@code work} ns of CPU on instance x outside any request (a B2 rejection). Processor
   * sharing with n jobs on k cores: the extra job runs at min(1, k/(n+1)) for work/that rate, and
   * each of the n jobs loses work·(min(1,k/n) − min(1,k/(n+1)))/min(1,k/(n+1)) of service, which
   * shifts the virtual clock back by that amount (exact while no job completes meanwhile, i.e.
   * for work much shorter than the jobs). Busy-core time grows by work − n·loss.
   */
  private void psCharge(int x, long work) {
    if (instState[x] != UP) {
      return;
    }
    psAdvance(x);
    int jobs = psN[x];
    double loss = psChargeLoss(jobs, psCap[x], work);
    psV[x] -= loss;
    cpuArea[x] += Math.max(0, work - jobs * loss);
  }

  /**
   * Service each of {@code jobs} processor-sharing jobs on {@code cores} loses while an extra job
   * of {@code work} ns runs: work / r' · (min(1, k/n) − r') with r' = min(1, k/(n+1)).
   */
  static double psChargeLoss(int jobs, double cores, double work) {
    if (jobs == 0) {
      return 0;
    }
    double rateNew = Math.min(1.0, cores / (jobs + 1));
    return work / rateNew * (Math.min(1.0, cores / jobs) - rateNew);
  }

  /** Attempts failed locally by a B1 breaker or bulkhead or the B3 throttle. */
  long baselineBlocked() {
    return blBlocked;
  }

  /** Inbound requests rejected by B2. */
  long baselineRejected() {
    return blRejected;
  }

  /** Retries refused by the B3 retry budget. */
  long baselineRetriesDenied() {
    return blRetriesDenied;
  }

  /** B1 transitions into OPEN, or B4 ejections. */
  long baselineTrips() {
    return blTrips;
  }

  /**
   * First time (ns) the baseline changed the request path: a B1 breaker opened, B2 rejected, B3
   * throttled or B4 ejected; −1 if never.
   */
  long baselineFirstTripNs() {
    return blFirstTripNs;
  }

  /** The B1 breaker of (caller instance index, edge), or null if it was never used. */
  CircuitBreaker breaker(int inst, int edge) {
    return breakers == null ? null : breakers[cliOff[inst] + cliSlot[edge]];
  }

  /** The B4 detector of (caller instance index, edge), or null if it was never used. */
  EnvoyOutlierDetector outlierDetector(int inst, int edge) {
    return outliers == null ? null : outliers[cliOff[inst] + cliSlot[edge]];
  }

  /** The B2 guard of an instance (instance index), or null when B2 is off. */
  SentinelSystemGuard sentinel(int inst) {
    return sentinels == null ? null : sentinels[inst];
  }

  // ================================================================== faults

  private FaultKind resolveFault() {
    return FaultDraw.resolve(p.fault(), faultRng);
  }

  /**
   * Draws t_f ~ U[600, 900] s. A benign episode (NONE) draws it too and uses it as the start of the
   * metric window, so benign and faulted arms are measured over the same kind of window; when T &lt;
   * 900 s the window of a benign episode starts at the warm-up end instead.
   */
  private void scheduleFault() {
    double tfSec = faultRng.uniform(600, 900);
    if (p.fault() == FaultKind.NONE) {
      faultNs = p.durationSec() >= 900 ? (long) (tfSec * SEC) : p.warmupSec() * SEC;
      return;
    }
    faultNs = (long) (tfSec * SEC);
    faultApplied = resolveFault();
    if (faultApplied == FaultKind.F4_SURGE || faultApplied == FaultKind.F4_SURGE_ONE) {
      surgeMax = mag.surgeFactor(); // fixed upper bound for thinning, known from the start: keeps arrivals CRN
    }
    if (faultApplied == FaultKind.F4_SURGE_ONE) {
      // one entry, chosen now so that the thinning bound of every other entry stays 1
      surgeAgent = FaultDraw.surgeEntry(t, faultRng);
    }
    push(faultNs, P_FAULT, K_FAULT_START, 0, 0);
  }

  private int pickTarget() {
    return FaultDraw.pickTarget(t, faultApplied, mag, faultRng);
  }

  /**
   * Applies the drawn fault. With an immune agent the target is still drawn exactly as in the paired
   * episode (same {@code fault} stream draws); if the immune agent is the only target (F1, F2, F3,
   * F5) no fault is applied and F0 stays empty; F8 leaves the immune agent's outgoing edges at
   * their attempts; F4's surge spares an immune entry ({@link #entryRate}).
   */
  private void faultStart() {
    switch (faultApplied) {
      case F1_AGENT -> {
        int a = pickTarget();
        if (a == immune) {
          return;
        }
        setF0(a);
        for (int x = instOff[a]; x < instOff[a + 1]; x++) {
          crash(x, false);
        }
      }
      case F1_INSTANCE -> {
        int a = pickTarget();
        if (a == immune) {
          return;
        }
        setF0(a);
        crash(instOff[a], false);
      }
      case F2_SLOW -> {
        int a = pickTarget();
        if (a == immune) {
          return;
        }
        setF0(a);
        slow[a] = mag.slowFactor();
        push(now + mag.slowDurationSec() * SEC, P_FAULT, K_FAULT_END, 0, 0);
      }
      case F3_CAPACITY -> {
        int a = pickTarget();
        if (a == immune) {
          return;
        }
        setF0(a);
        int k = Math.max(1, (int) Math.round(t.instances[a] * mag.capacityLossFraction()));
        for (int j = 0; j < k; j++) {
          crash(instOff[a] + j, false);
        }
      }
      case F4_SURGE, F4_SURGE_ONE -> {
        surge = mag.surgeFactor();
        push(now + mag.surgeDurationSec() * SEC, P_FAULT, K_FAULT_END, 0, 0);
      }
      case F5_ERRORS -> {
        int a = pickTarget();
        if (a == immune) {
          return;
        }
        setF0(a);
        errOverride[a] = mag.errorRate();
        push(now + mag.errorDurationSec() * SEC, P_FAULT, K_FAULT_END, 0, 0);
      }
      case F8_RETRY -> {
        for (int e = 0; e < nEdges; e++) {
          boolean hit = faultRng.nextDouble() < mag.retryEdgeFraction();
          if (hit && attempts[e] == SimTopology.DEFAULT_MAX_ATTEMPTS && t.edgeCaller[e] != immune) {
            attempts[e] = mag.retryAttempts();
          }
        }
      }
      case NONE, F_STD -> throw new IllegalStateException("unresolved fault " + faultApplied);
    }
  }

  private void setF0(int a) {
    faulted = new int[] {a};
    inF0[a] = true;
  }

  private void faultEnd() {
    Arrays.fill(slow, 1.0);
    Arrays.fill(errOverride, 0.0);
    surge = 1.0;
  }

  // ================================================================== telemetry, failure state, guard

  private static int bucket(long ns) {
    if (ns < 1024) {
      return 0;
    }
    int lg = 63 - Long.numberOfLeadingZeros(ns);
    int sub = (int) (ns >>> (lg - 2)) & 3;
    return Math.min(HB - 1, 1 + (lg - 10) * 4 + sub);
  }

  private static double bucketValueNs(int b) {
    if (b == 0) {
      return 512;
    }
    int lg = (b - 1) / 4 + 10;
    int sub = (b - 1) % 4;
    return Math.scalb((4 + sub + 0.5) / 4.0, lg);
  }

  /** Latency quantile of the window from the log-bucket histogram (bucket midpoint; 0 if empty). */
  private double quantileMs(int a, double quantile) {
    return quantileMs(hist, a * HB, 0, HB - 1, quantile);
  }

  /** The quantile (ms, bucket value) of the histogram {@code h[base + lo .. base + hi]}; 0 if it is empty. */
  private static double quantileMs(int[] h, int base, int lo, int hi, double quantile) {
    long total = 0;
    for (int b = lo; b <= hi; b++) {
      total += h[base + b];
    }
    if (total == 0) {
      return 0;
    }
    long target = (long) Math.ceil(quantile * total);
    long cum = 0;
    for (int b = lo; b <= hi; b++) {
      cum += h[base + b];
      if (cum >= target) {
        return bucketValueNs(b) * 1e-6;
      }
    }
    return bucketValueNs(hi) * 1e-6;
  }

  private void onTick() {
    if (sentinels != null) {
      sentinelLoadSamples();
    }
    // warm-up ramps and the crash rule
    for (int x = 0; x < instAgent.length; x++) {
      int a = instAgent[x];
      if (instState[x] == UP) {
        long since = now - warmStart[x];
        if (since >= 0 && since <= WARMUP_RAMP_NS + SEC) {
          double w = 1.0 / 3 + (2.0 / 3) * Math.min(1.0, since / (double) WARMUP_RAMP_NS);
          psSetCapacity(x, t.coresPerInstance[a] * w);
        }
        int cap = t.queueCapacity[a];
        queueArea(x);
        double avgQueue = qArea[x] / SEC;
        qArea[x] = 0;
        if (p.crashRestart() && cap > 0 && avgQueue >= Math.max(1.0, Math.floor(0.99 * cap))) {
          if (++fullSecs[x] >= 10) {
            crashes++;
            crash(x, true);
          }
        } else {
          fullSecs[x] = 0;
        }
      } else {
        queueArea(x);
        qArea[x] = 0;
      }
    }
    long sec = now / SEC;
    int[] queueLen = new int[n];
    int[] busyAll = new int[n];
    int[] threadsUp = new int[n];
    double[] cpu = new double[n];
    double[] coresUp = new double[n];
    for (int x = 0; x < instAgent.length; x++) {
      int a = instAgent[x];
      psAdvance(x);
      cpu[a] += cpuArea[x];
      cpuArea[x] = 0;
      queueLen[a] += qLen[x];
      busyAll[a] += busy[x];
      if (instState[x] == UP) {
        threadsUp[a] += t.threadsPerInstance[a];
        coresUp[a] += psCap[x];
      }
    }
    double[] p50 = new double[n];
    double[] p95 = new double[n];
    double[] p99 = new double[n];
    double[] util = new double[n];
    for (int a = 0; a < n; a++) {
      p50[a] = quantileMs(a, 0.50);
      p95[a] = quantileMs(a, 0.95);
      p99[a] = quantileMs(a, 0.99);
      util[a] = threadsUp[a] == 0 ? 1.0 : busyAll[a] / (double) threadsUp[a];
      cpu[a] = coresUp[a] == 0 ? 0.0 : Math.min(1.0, cpu[a] / (coresUp[a] * SEC));
    }
    TelemetrySnapshot snap = new TelemetrySnapshot(sec, sArr.clone(), sSucc.clone(), sErr.clone(), sRej.clone(),
        sTimeout.clone(), sBlocked.clone(), sDown.clone(), p50, p95, p99, inFlight.clone(), queueLen, util, cpu,
        upCount.clone(), eAtt.clone(), eFail.clone(), edgeP99Ms(), edgeBreakerState(), active.at(now));
    hashSnapshot(snap);
    updateFailure();
    TelemetrySnapshot seen = view.view(snap);
    long t0 = System.nanoTime();
    Prediction pred = guard.predict(seen);
    long dt = System.nanoTime() - t0;
    java.util.Objects.requireNonNull(pred, "CascadeGuard.predict must return a Prediction");
    // recording only: neither value enters the trace hash or the simulation
    if (predictCalls < predictNs.length) {
      riskByCall[predictCalls] = pred.risk();
      predictNs[predictCalls++] = Math.max(0, dt);
    }
    if (!p.predictOnly()) {
      List<Action> acts = java.util.Objects.requireNonNull(guard.decide(seen, pred),
          "CascadeGuard.decide must return a list (List.of() for no action)");
      for (Action act : acts) {
        pending.add(act);
        push(now + p.actuationDelayMs() * 1_000_000L, P_ACTION, K_ACTION, pending.size() - 1, 0);
      }
    }
    Arrays.fill(sArr, 0);
    Arrays.fill(sSucc, 0);
    Arrays.fill(sErr, 0);
    Arrays.fill(sRej, 0);
    Arrays.fill(sTimeout, 0);
    Arrays.fill(sBlocked, 0);
    Arrays.fill(sInAsked, 0);
    Arrays.fill(sInRefused, 0);
    Arrays.fill(sDown, 0);
    Arrays.fill(hist, 0);
    Arrays.fill(eAtt, 0);
    Arrays.fill(eFail, 0);
    if (now + SEC <= endNs) {
      push(now + SEC, P_TICK, K_TICK, 0, 0);
    }
  }

  /** p99 of each edge's attempt latencies this second (ms, 0 if none ended), and resets the histograms. */
  private double[] edgeP99Ms() {
    double[] out = new double[nEdges];
    for (int e = 0; e < nEdges; e++) {
      int hi = eHi[e];
      if (hi < 0) {
        continue;
      }
      int lo = eLo[e];
      int base = e * HB;
      out[e] = quantileMs(eHist, base, lo, hi, 0.99);
      Arrays.fill(eHist, base + lo, base + hi + 1, 0);
      eLo[e] = HB;
      eHi[e] = -1;
    }
    return out;
  }

  /** Breaker state per edge ({@link TelemetrySnapshot#edgeBreakerOpen()}): 1 if the SUT refuses the edge, else the open fraction of B1's client breakers. */
  private double[] edgeBreakerState() {
    double[] out = new double[nEdges];
    for (int a = 0; a < n; a++) {
      for (int e = t.edgeStart[a]; e < t.edgeStart[a + 1]; e++) {
        if (sutRefusesEdge(a, t.callee[e], e)) {
          out[e] = 1.0;
        } else if (breakers != null) {
          int open = 0;
          int all = instOff[a + 1] - instOff[a];
          for (int x = instOff[a]; x < instOff[a + 1]; x++) {
            CircuitBreaker cb = breakers[cliOff[x] + cliSlot[e]];
            if (cb != null && cb.state() == CircuitState.OPEN) {
              open++;
            }
          }
          out[e] = all == 0 ? 0.0 : open / (double) all;
        }
      }
    }
    return out;
  }


  private void hashSnapshot(TelemetrySnapshot s) {
    hashBuf.clear();
    hashBuf.putLong(s.timeSec());
    for (int a = 0; a < n; a++) {
      hashBuf.putLong(s.arrivals()[a]);
      hashBuf.putLong(s.successes()[a]);
      hashBuf.putLong(s.errors()[a]);
      hashBuf.putLong(s.inFlight()[a]);
      hashBuf.putLong(s.queueLength()[a]);
      hashBuf.putLong(Double.doubleToLongBits(s.p99LatencyMs()[a]));
      hashBuf.putLong(Double.doubleToLongBits(s.threadUtilisation()[a]));
      hashBuf.putLong(((long) s.rejected()[a] << 32) | s.timeouts()[a]);
      hashBuf.putLong(((long) s.blocked()[a] << 32) | s.downstream()[a]);
      hashBuf.putLong(Double.doubleToLongBits(s.p50LatencyMs()[a]));
      hashBuf.putLong(Double.doubleToLongBits(s.p95LatencyMs()[a]));
      hashBuf.putLong(Double.doubleToLongBits(s.cpuUtilisation()[a]));
      hashBuf.putLong(s.healthyInstances()[a]);
    }
    for (int e = 0; e < nEdges; e++) {
      hashBuf.putLong(s.edgeAttempts()[e]);
      hashBuf.putLong(s.edgeFailures()[e]);
    }
    sha.update(hashBuf.array(), 0, hashBuf.position());
  }

  private void updateFailure() {
    int slot = winPos;
    winPos = (winPos + 1) % 10;
    boolean afterFault = now >= faultNs;
    int failedNow = 0;
    for (int a = 0; a < n; a++) {
      winSucc[a * 10 + slot] = sSucc[a];
      winTot[a * 10 + slot] = sSucc[a] + sErr[a];
      winInAsked[a * 10 + slot] = sInAsked[a];
      winInRefused[a * 10 + slot] = sInRefused[a];
      if (!afterFault || inF0[a]) {
        continue;
      }
      long succ = 0;
      long tot = 0;
      long asked = 0;
      long refused = 0;
      for (int k = 0; k < 10; k++) {
        succ += winSucc[a * 10 + k];
        tot += winTot[a * 10 + k];
        asked += winInAsked[a * 10 + k];
        refused += winInRefused[a * 10 + k];
      }
      // SUT-induced unavailability counts (spec D3, 10.3): isolation, shedding ≥ 90%, and ≥ 90% of
      // the calls towards the agent refused on their way in by the SUT's breakers or rate limits
      boolean failed = (tot >= 10 && succ < 0.5 * tot)
          || (t.instances[a] - upCount[a]) * 2 >= t.instances[a]
          || isolateUntil[a] > now
          || (shedUntil[a] > now && shedFrac[a] >= 0.9)
          || (asked >= 10 && refused >= 0.9 * asked);
      if (failed) {
        failedNow++;
        if (firstFailedSec[a] < 0) {
          everFailedCount++;
          firstFailedSec[a] = (int) (now / SEC);
        }
      }
    }
    if (afterFault) {
      double denom = Math.max(1, n - faulted.length);
      track.tick(now / (double) SEC, failedNow / denom, everFailedCount / denom);
    }
  }

  private EpisodeResult result() {
    double denom = Math.max(1, n - faulted.length);
    double s = everFailedCount / denom;
    double avail = entryOffered == 0 ? 1.0 : entrySucceeded / (double) entryOffered;
    return new EpisodeResult(faultApplied, faultNs / (double) SEC, faulted, s, track.peak(), track.integral(),
        avail, track.onset(0), track.onset(1), track.onset(2), entryOffered, entrySucceeded,
        entryLatencyCount == 0 ? 0 : entryLatencySumNs / entryLatencyCount * 1e-6, events, requestsCreated, crashes,
        applied, HexFormat.of().formatHex(sha.digest()), Arrays.copyOf(riskByCall, predictCalls), Arrays.copyOf(predictNs, predictCalls),
        entryLostToProtection);
  }

  /**
   * Per agent (the simulator's ids), the 1-s control tick, in simulated seconds, at which the agent was
   * first FAILED at or after t_f (the ticks that make up S); −1 if never, and always −1 for the agents
   * in F0. Valid after {@link #run()}.
   */
  int[] firstFailedSec() {
    return firstFailedSec.clone();
  }

  /**
   * Quantile of the per-call response time (every request served by any agent, started after the
   * warm-up), in ms, from the log-bucket histogram (bucket midpoint, ≤ 12% relative error); NaN
   * if no request was served. Valid after {@link #run()}.
   */
  double callLatencyQuantileMs(double quantile) {
    long total = 0;
    for (long c : callHist) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long target = Math.max(1, (long) Math.ceil(quantile * total));
    long cum = 0;
    for (int b = 0; b < HB; b++) {
      cum += callHist[b];
      if (cum >= target) {
        return bucketValueNs(b) * 1e-6;
      }
    }
    return bucketValueNs(HB - 1) * 1e-6;
  }


  /** Growable int list without boxing. */
  private static final class IntList {
    int[] a = new int[64];
    int size;

    void clear() {
      size = 0;
    }

    void add(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }
  }
}

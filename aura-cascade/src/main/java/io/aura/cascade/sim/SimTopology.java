package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;

import java.util.Arrays;

/**
 * Immutable service topology for the D3 discrete-event simulator, in CSR form (spec section 3 D3).
 *
 * <p><b>Agents</b> {@code i = 0..n-1}: {@code r_i} instances; per instance {@code k_i} CPU cores
 * (a {@code double}: a CPU quota, so that the provisioning equality holds exactly), {@code c_i}
 * worker threads and a FIFO queue of capacity {@code Q_i}; mean CPU demand {@code d_i} (ns);
 * intrinsic error probability {@code ε_i}; design external (entry) arrival rate {@code λ^d_ext,i}
 * (requests/s, 0 for non-entry agents).
 *
 * <p><b>Calls</b> (edges, grouped by caller in insertion order): callee, invocation probability
 * {@code π}, multiplicity {@code m}, per-attempt timeout {@code τ} (ns), maximum attempts {@code A}
 * (total, Resilience4j semantics) and a fixed retry wait (ns, default 500 ms).
 *
 * <p><b>Provisioning with tolerance α</b> ({@link Builder#buildProvisioned}): design arrival rates
 * {@code λ^d = (I − Π^T)^{-1} λ^d_ext} with {@code Π_ij = m_ij π_ij}, by fixed-point iteration
 * {@code λ ← λ_ext + Π^T λ} (fails if it does not converge, i.e. spectral radius ≥ 1);
 * {@code α_i = α · LogNormal(0, 0.3)} from stream {@code "provision"}; total cores
 * {@code k_i r_i = (1+α_i) λ^d_i d_i}; {@code r_i = max(minInstances, ⌈k_i r_i / maxCoresPerInstance⌉)};
 * per-instance cores are then raised to at least {@code minCoresPerInstance} (default 1): a CPU
 * quota far below one core would make a lone request take {@code d_i/k_i}, which is not what
 * {@code d_i} means, so agents with little traffic run below the nominal ρ (see
 * {@link #designUtilisation});
 * design response time {@code R^d_i = d_i/(min(1,k_i)(1−ρ_i)) + Σ_k m_ik π_ik R^d_k} (a parallel group: the expected maximum instead of the sum) with
 * {@code ρ_i = λ^d_i d_i / (k_i r_i)}; threads {@code c_i r_i = ⌈(1+β) λ^d_i R^d_i⌉} with
 * {@code β = 1}, at least {@code minThreadsPerInstance} per instance (assumption: real pools are
 * never a single thread); queue {@code Q_i = queuePerThread · c_i} per instance (assumption, the
 * spec does not fix Q). Timeouts not given explicitly follow the p99.9 rule
 * {@code τ_ij = max(50 ms, ln(1000) · R^d_j)} (response time taken as exponential, which gives
 * {@code τμ = 27.6} at ρ = 0.75 as in the D4 table); for a callee with a LogNormal(σ) service time
 * the factor is {@code max(ln 1000, e^{3.09σ − σ²/2})}, the LogNormal's p99.9-to-mean ratio.
 *
 * <p><b>Call plan</b> (how one request at a caller samples its calls, in CSR order): an
 * independent edge is invoked with probability π, then makes {@code m ~ U{m_min..m_max}} calls; the
 * edges of one <em>exclusive group</em> (same caller, same group id ≥ 0; contiguous in CSR order)
 * are alternatives: one uniform draw picks at most one of them, edge e with probability π_e (the
 * remainder 1 − Σπ calls none). An <em>async</em> edge (message queue) delivers its calls without
 * blocking the caller: the callee's work and failure do not affect the caller, and its response
 * time does not enter {@code R^d} of the caller. The edges of one <em>parallel group</em> (same
 * caller, same parallel group id ≥ 0; contiguous in CSR order, at the position of the group's first
 * edge) are issued together: each member is invoked with probability π and multiplicity m as
 * above, all the invocations leave at once, and the request goes on when the last has ended, or
 * fails as soon as one has failed (spec D3, "sequential, or parallel groups"); in {@code R^d} the
 * group contributes the expected maximum of its invocations' response times, taken as independent
 * exponentials ({@code FanOut}), instead of their sum. Unless {@link Builder#allowReentry(boolean)} is
 * set, a synchronous call to an agent already on the request's call path is skipped (spec 2a3: "a
 * request never re-enters an agent already on its call path"). Retries wait
 * {@code min(maxWait, base · multiplier^(k−1)) · (1 − jitter · U)} before retry k ({@link Backoff};
 * the default is Resilience4j's fixed 500 ms).
 *
 * <p><b>Service time</b>: Exp(d_i) by default; {@link Builder#serviceLogNormal} makes it
 * LogNormal(ln d_i, σ) (d_i is then the median; provisioning uses the mean d_i e^{σ²/2}).
 * <b>Latency-bound agents</b> ({@link Builder#latencyBound}, the shared LLM provider of spec 2b) are
 * not CPU-bound: every admitted request runs at full speed (cores = threads per instance), the
 * concurrency limit is the D3 thread rule {@code ⌈(1+β) λ^d E[S]⌉}, there is no queue (a request
 * beyond the limit is rejected), and a token bucket admits {@code (1+α_i) λ^d} requests/s with a
 * burst of one second of tokens (the RPM limit; an empty bucket rejects, HTTP 429). Other agents
 * may get an explicit token bucket with {@link Builder#tokenBucket}.
 *
 * <p>{@code io.aura.cascade.sim.Families} builds these from the {@code io.aura.cascade.graph}
 * families.
 */
public final class SimTopology {
  /**
   * The graph's calls diverge: sampled request trees did not terminate, so no design load exists
   * and the graph cannot be provisioned (a property of the graph, not of the rate or α).
   */
  public static final class DivergentCallsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DivergentCallsException(String message) {
      super(message);
    }
  }

  /**
   * One agent cannot be provisioned (its design load needs more than the thread rule allows). The message starts with
   * {@code "agent " + agent}; {@link #detail()} is the rest, so that a caller that knows the agents' names can name it.
   */
  public static final class AgentProvisioningException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int agent;
    private final String detail;

    AgentProvisioningException(int agent, String detail) {
      super("agent " + agent + detail);
      this.agent = agent;
      this.detail = detail;
    }

    /** The agent's index. */
    public int agent() {
      return agent;
    }

    /** The message after the agent, starting with a space. */
    public String detail() {
      return detail;
    }
  }

  /** Resilience4j Retry default: maxAttempts = 3 (total). */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** Resilience4j Retry default: fixed waitDuration = 500 ms. */
  public static final long DEFAULT_RETRY_WAIT_NS = 500_000_000L;
  /** Standard normal 0.999 quantile. */
  static final double Z999 = 3.090232306167813;
  /** Lower bound of the timeout rule. */
  public static final long MIN_TIMEOUT_NS = 50_000_000L;

  final int n;
  final int[] instances;
  final double[] coresPerInstance;
  final int[] threadsPerInstance;
  final int[] queueCapacity;
  final long[] cpuDemandNs;
  final double[] intrinsicError;
  final double[] entryRatePerSec;
  final double[] designArrivalRatePerSec;
  final double[] designResponseNs;
  final int[] edgeStart;
  final int[] edgeCaller;
  final int[] callee;
  final double[] invokeProb;
  final int[] multiplicity;
  final int[] multiplicityMax;
  final int[] groupFirst;
  final int[] groupEnd;
  final int[] parFirst;
  final int[] parEnd;
  final boolean[] async;
  final long[] timeoutNs;
  final int[] maxAttempts;
  final long[] retryWaitNs;
  final double[] backoffMultiplier;
  final long[] maxRetryWaitNs;
  final double[] retryJitter;
  final double[] serviceSigma;
  final boolean[] latencyBound;
  final double[] tokenRatePerSec;
  final double[] tokenBurst;
  final boolean reentry;

  private SimTopology(Builder b, int[] order, double[] lambda, double[] resp) {
    n = b.n;
    serviceSigma = b.sigma.clone();
    latencyBound = b.latency.clone();
    tokenRatePerSec = b.tokRate.clone();
    tokenBurst = b.tokBurst.clone();
    reentry = b.reentry;
    instances = b.instances.clone();
    coresPerInstance = b.cores.clone();
    threadsPerInstance = b.threads.clone();
    queueCapacity = b.queue.clone();
    cpuDemandNs = b.demand.clone();
    intrinsicError = b.error.clone();
    entryRatePerSec = b.entry.clone();
    designArrivalRatePerSec = lambda;
    designResponseNs = resp;
    int m = b.edgeCount;
    edgeStart = new int[n + 1];
    edgeCaller = new int[m];
    callee = new int[m];
    invokeProb = new double[m];
    multiplicity = new int[m];
    multiplicityMax = new int[m];
    groupFirst = new int[m];
    groupEnd = new int[m];
    parFirst = new int[m];
    parEnd = new int[m];
    async = new boolean[m];
    timeoutNs = new long[m];
    maxAttempts = new int[m];
    retryWaitNs = new long[m];
    backoffMultiplier = new double[m];
    maxRetryWaitNs = new long[m];
    retryJitter = new double[m];
    for (int e = 0; e < m; e++) {
      edgeStart[b.eCaller[e] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      edgeStart[i + 1] += edgeStart[i];
    }
    for (int j = 0; j < m; j++) {
      int e = order[j];
      edgeCaller[j] = b.eCaller[e];
      callee[j] = b.eCallee[e];
      invokeProb[j] = b.eProb[e];
      multiplicity[j] = b.eMult[e];
      multiplicityMax[j] = b.eMultMax[e];
      async[j] = b.eAsync[e];
      maxAttempts[j] = b.eAttempts[e];
      retryWaitNs[j] = b.eWait[e];
      backoffMultiplier[j] = b.eBackoffMult[e];
      maxRetryWaitNs[j] = b.eMaxWait[e];
      retryJitter[j] = b.eJitter[e];
      // p99.9 rule: exponential response, or for a LogNormal(σ) service the LogNormal quantile ratio
      double sg = b.sigma[b.eCallee[e]];
      double ratio = Math.max(StrictMath.log(1000.0), StrictMath.exp(Z999 * sg - 0.5 * sg * sg));
      long rule = Math.max(MIN_TIMEOUT_NS, Math.round(ratio * resp[b.eCallee[e]]));
      // > 0: explicit; < -1: the p99.9 rule with floor -timeout; 0 or -1: the rule
      timeoutNs[j] = b.eTimeout[e] > 0 ? b.eTimeout[e] : b.eTimeout[e] < -1 ? Math.max(-b.eTimeout[e], rule) : rule;
    }
    // exclusive and parallel groups are contiguous runs (edgeOrder); first = -1 outside a group
    groupRuns(b.eGroup, order, groupFirst, groupEnd);
    groupRuns(b.ePar, order, parFirst, parEnd);
  }

  /**
   * For CSR position j: {@code first[j]} = the position of the first edge of j's group (same caller,
   * same id ≥ 0, contiguous), −1 if {@code ids[order[j]] < 0}; {@code end[j]} = one past its last.
   */
  private void groupRuns(int[] ids, int[] order, int[] first, int[] end) {
    int m = first.length;
    for (int j = 0; j < m; j++) {
      int g = ids[order[j]];
      if (g < 0) {
        first[j] = -1;
        end[j] = j + 1;
      } else if (j > 0 && edgeCaller[j - 1] == edgeCaller[j] && ids[order[j - 1]] == g) {
        first[j] = first[j - 1];
      } else {
        first[j] = j;
      }
    }
    for (int j = m - 1; j >= 0; j--) {
      if (first[j] >= 0) {
        end[j] = j + 1 < m && first[j + 1] == first[j] ? end[j + 1] : j + 1;
      }
    }
  }

  public static Builder builder(int agents) {
    return new Builder(agents);
  }

  /**
   * A copy in which every capacity of agent {@code agent} is multiplied by {@code factor}: cores per
   * instance k_i, worker threads per instance c_i, the queue capacity Q_i (which the provisioning
   * rule ties to the threads, {@code Q_i = 2 c_i}) and, if the agent has one, its token bucket (rate
   * and burst). The instance count r_i is kept, so instance-level faults and the "≥ 50% of instances
   * down" failure rule mean the same thing; demands, design rates, timeouts and edges are unchanged,
   * so fault target selection (by design load) is unchanged too. Used for the counterfactual
   * "immune agent" of CPB 6.7 ({@link Episode#runImmune}).
   *
   * @param agent agent index in [0, n)
   * @param factor capacity multiplier ≥ 1
   */
  SimTopology withCapacityScaled(int agent, int factor) {
    if (agent < 0 || agent >= n) {
      throw new IllegalArgumentException("agent " + agent + " outside [0, " + n + ")");
    }
    if (factor < 1) {
      throw new IllegalArgumentException("capacity factor must be >= 1: " + factor);
    }
    return new SimTopology(this, agent, factor);
  }

  private SimTopology(SimTopology src, int agent, int factor) {
    n = src.n;
    instances = src.instances;
    coresPerInstance = src.coresPerInstance.clone();
    coresPerInstance[agent] *= factor;
    threadsPerInstance = src.threadsPerInstance.clone();
    threadsPerInstance[agent] = Math.multiplyExact(threadsPerInstance[agent], factor);
    queueCapacity = src.queueCapacity.clone();
    queueCapacity[agent] = Math.multiplyExact(queueCapacity[agent], factor);
    tokenRatePerSec = src.tokenRatePerSec.clone();
    tokenRatePerSec[agent] *= factor;
    tokenBurst = src.tokenBurst.clone();
    tokenBurst[agent] *= factor;
    cpuDemandNs = src.cpuDemandNs;
    intrinsicError = src.intrinsicError;
    entryRatePerSec = src.entryRatePerSec;
    designArrivalRatePerSec = src.designArrivalRatePerSec;
    designResponseNs = src.designResponseNs;
    edgeStart = src.edgeStart;
    edgeCaller = src.edgeCaller;
    callee = src.callee;
    invokeProb = src.invokeProb;
    multiplicity = src.multiplicity;
    multiplicityMax = src.multiplicityMax;
    groupFirst = src.groupFirst;
    groupEnd = src.groupEnd;
    parFirst = src.parFirst;
    parEnd = src.parEnd;
    async = src.async;
    timeoutNs = src.timeoutNs;
    maxAttempts = src.maxAttempts;
    retryWaitNs = src.retryWaitNs;
    backoffMultiplier = src.backoffMultiplier;
    maxRetryWaitNs = src.maxRetryWaitNs;
    retryJitter = src.retryJitter;
    serviceSigma = src.serviceSigma;
    latencyBound = src.latencyBound;
    reentry = src.reentry;
  }


  public int agentCount() {
    return n;
  }

  public int edgeCount() {
    return callee.length;
  }

  public int instances(int agent) {
    return instances[agent];
  }

  public double coresPerInstance(int agent) {
    return coresPerInstance[agent];
  }

  public int threadsPerInstance(int agent) {
    return threadsPerInstance[agent];
  }

  public int queueCapacity(int agent) {
    return queueCapacity[agent];
  }

  public long cpuDemandNs(int agent) {
    return cpuDemandNs[agent];
  }

  public double intrinsicError(int agent) {
    return intrinsicError[agent];
  }

  public double entryRatePerSec(int agent) {
    return entryRatePerSec[agent];
  }

  public double designArrivalRatePerSec(int agent) {
    return designArrivalRatePerSec[agent];
  }

  public double designResponseNs(int agent) {
    return designResponseNs[agent];
  }

  /** Edges of {@code agent} are {@code edgeStart(agent) .. edgeStart(agent+1)-1}. */
  public int edgeStart(int agent) {
    return edgeStart[agent];
  }

  public int caller(int edge) {
    return edgeCaller[edge];
  }

  public int callee(int edge) {
    return callee[edge];
  }

  public double invokeProbability(int edge) {
    return invokeProb[edge];
  }

  /** Smallest multiplicity of {@code edge}; the multiplicity is uniform on [min, max]. */
  public int multiplicity(int edge) {
    return multiplicity[edge];
  }

  /** Largest multiplicity of {@code edge}. */
  public int multiplicityMax(int edge) {
    return multiplicityMax[edge];
  }

  /** Expected calls per caller request on {@code edge}: π · (m_min + m_max) / 2. */
  public double expectedCalls(int edge) {
    return invokeProb[edge] * (multiplicity[edge] + multiplicityMax[edge]) * 0.5;
  }

  /**
   * The first edge of {@code edge}'s exclusive group (its members are {@code groupFirst(edge) ..
   * groupEnd(edge)-1}), or −1 if {@code edge} is independent.
   */
  public int groupFirst(int edge) {
    return groupFirst[edge];
  }

  /** One past the last edge of {@code edge}'s exclusive group ({@code edge + 1} if independent). */
  public int groupEnd(int edge) {
    return groupEnd[edge];
  }

  /**
   * The first edge of {@code edge}'s parallel group (its members {@code parallelFirst(edge) ..
   * parallelEnd(edge)-1} are issued at once and waited for together), or −1 if {@code edge} is
   * called in sequence.
   */
  public int parallelFirst(int edge) {
    return parFirst[edge];
  }

  /** One past the last edge of {@code edge}'s parallel group ({@code edge + 1} if sequential). */
  public int parallelEnd(int edge) {
    return parEnd[edge];
  }

  /** Whether {@code edge} is an async (message-queue) call that does not block the caller. */
  public boolean isAsync(int edge) {
    return async[edge];
  }

  /** Retry backoff multiplier of {@code edge} (1 = fixed wait). */
  public double backoffMultiplier(int edge) {
    return backoffMultiplier[edge];
  }

  /** Cap of the retry wait of {@code edge}, ns. */
  public long maxRetryWaitNs(int edge) {
    return maxRetryWaitNs[edge];
  }

  /** Retry jitter fraction j of {@code edge}: the wait is multiplied by (1 − j·U). */
  public double retryJitter(int edge) {
    return retryJitter[edge];
  }

  /** LogNormal σ of the service time of {@code agent}, or 0 for Exp(d_i). */
  public double serviceLogSigma(int agent) {
    return serviceSigma[agent];
  }

  /** Mean service demand of {@code agent}, ns: d_i, or d_i e^{σ²/2} for a LogNormal service time. */
  public double meanServiceNs(int agent) {
    return cpuDemandNs[agent] * StrictMath.exp(0.5 * serviceSigma[agent] * serviceSigma[agent]);
  }

  /** Whether {@code agent} is latency-bound (the LLM provider model; see the class doc). */
  public boolean isLatencyBound(int agent) {
    return latencyBound[agent];
  }

  /** Token-bucket admission rate of {@code agent} in requests/s, or 0 for none. */
  public double tokenRatePerSec(int agent) {
    return tokenRatePerSec[agent];
  }

  /** Token-bucket capacity (burst) of {@code agent}, in requests. */
  public double tokenBurst(int agent) {
    return tokenBurst[agent];
  }

  /** Whether a request may re-enter an agent already on its call path. */
  public boolean reentryAllowed() {
    return reentry;
  }

  public long timeoutNs(int edge) {
    return timeoutNs[edge];
  }

  public int maxAttempts(int edge) {
    return maxAttempts[edge];
  }

  public long retryWaitNs(int edge) {
    return retryWaitNs[edge];
  }

  /** Nominal CPU utilisation at design load, {@code λ^d_i d_i / (k_i r_i)}. */
  public double designUtilisation(int agent) {
    return designArrivalRatePerSec[agent] * meanServiceNs(agent) * 1e-9
        / (coresPerInstance[agent] * instances[agent]);
  }

  /**
   * Retry backoff: before retry k (k = 1 after the first failed attempt) the caller waits
   * {@code min(maxNs, baseNs · multiplier^(k−1)) · (1 − jitter · U)}, U ~ U[0,1) from stream
   * {@code retry-jitter/<caller>}.
   *
   * @param baseNs first wait, ns (≥ 0)
   * @param multiplier growth per retry (≥ 1; 1 = fixed)
   * @param maxNs cap, ns (≥ baseNs)
   * @param jitter fraction in [0, 1]
   */
  public record Backoff(long baseNs, double multiplier, long maxNs, double jitter) {
    public Backoff {
      if (baseNs < 0 || !(multiplier >= 1) || Double.isInfinite(multiplier) || maxNs < baseNs
          || !(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("bad backoff: base=" + baseNs + "ns multiplier=" + multiplier + " max="
            + maxNs + "ns jitter=" + jitter + " (need base >= 0, multiplier >= 1, max >= base, jitter in [0,1])");
      }
    }

    /** A fixed wait without jitter (Resilience4j Retry's default is {@code fixed(500 ms)}). */
    public static Backoff fixed(long waitNs) {
      return new Backoff(waitNs, 1.0, waitNs, 0.0);
    }

    /**
     * The OpenAI SDKs' retry schedule: 0.5 s · 2^(k−1), capped at 8 s, times (1 − 0.25 U)
     * ({@code INITIAL_RETRY_DELAY = 0.5}, {@code MAX_RETRY_DELAY = 8.0}, {@code jitter = 1 − 0.25 ·
     * random()} in openai-python's {@code _base_client.py}).
     */
    public static Backoff openAiSdk() {
      return new Backoff(500_000_000L, 2.0, 8_000_000_000L, 0.25);
    }

    /** The wait before retry {@code k} (k ≥ 1) for a uniform draw {@code u} in [0, 1). */
    public long waitNs(int k, double u) {
      double w = Math.min((double) maxNs, baseNs * StrictMath.pow(multiplier, k - 1));
      return Math.round(w * (1 - jitter * u));
    }
  }

  /** Builder; validates every setter and the cross-field rules in the build methods. */
  public static final class Builder {
    private final int n;
    private final int[] instances;
    private final double[] cores;
    private final int[] threads;
    private final int[] queue;
    private final long[] demand;
    private final double[] error;
    private final double[] entry;
    private final boolean[] agentSet;
    private final double[] sigma;
    private final boolean[] latency;
    private final double[] tokRate;
    private final double[] tokBurst;
    private boolean reentry;
    private int edgeCount;
    private int[] eCaller = new int[16];
    private int[] eCallee = new int[16];
    private double[] eProb = new double[16];
    private int[] eMult = new int[16];
    private long[] eTimeout = new long[16];
    private int[] eAttempts = new int[16];
    private long[] eWait = new long[16];
    private int[] eMultMax = new int[16];
    private int[] eGroup = new int[16];
    private int[] ePar = new int[16];
    private boolean[] eAsync = new boolean[16];
    private double[] eBackoffMult = new double[16];
    private long[] eMaxWait = new long[16];
    private double[] eJitter = new double[16];

    private Builder(int agents) {
      if (agents < 1) {
        throw new IllegalArgumentException("agents must be >= 1: " + agents);
      }
      n = agents;
      instances = new int[n];
      cores = new double[n];
      threads = new int[n];
      queue = new int[n];
      demand = new long[n];
      error = new double[n];
      entry = new double[n];
      agentSet = new boolean[n];
      sigma = new double[n];
      latency = new boolean[n];
      tokRate = new double[n];
      tokBurst = new double[n];
    }

    /** Service time of agent {@code i} becomes LogNormal(ln d_i, σ) (d_i the median); σ = 0 restores Exp(d_i). */
    public Builder serviceLogNormal(int i, double logSigma) {
      checkAgent(i);
      if (!(logSigma >= 0 && logSigma <= 5)) {
        throw new IllegalArgumentException("service LogNormal sigma must be in [0, 5] for agent " + i + ": " + logSigma);
      }
      sigma[i] = logSigma;
      return this;
    }

    /** Marks agent {@code i} latency-bound (the LLM provider model of the class doc). */
    public Builder latencyBound(int i) {
      checkAgent(i);
      latency[i] = true;
      return this;
    }

    /**
     * An explicit token bucket in front of agent {@code i}: {@code ratePerSec} tokens/s, capacity
     * {@code burst} (≥ 1); an arrival finding less than one token is rejected. Overrides the
     * bucket that provisioning gives a latency-bound agent.
     */
    public Builder tokenBucket(int i, double ratePerSec, double burst) {
      checkAgent(i);
      if (!(ratePerSec > 0) || Double.isInfinite(ratePerSec) || !(burst >= 1) || Double.isInfinite(burst)) {
        throw new IllegalArgumentException("token bucket of agent " + i + " needs rate > 0 and burst >= 1: rate="
            + ratePerSec + " burst=" + burst);
      }
      tokRate[i] = ratePerSec;
      tokBurst[i] = burst;
      return this;
    }

    /** Whether a synchronous call may re-enter an agent already on the request's call path (default false). */
    public Builder allowReentry(boolean allow) {
      reentry = allow;
      return this;
    }

    /** Sets agent properties: mean CPU demand (ns), intrinsic error ε, design entry rate (1/s). */
    public Builder agent(int i, long cpuDemandNs, double intrinsicError, double entryRatePerSec) {
      checkAgent(i);
      if (cpuDemandNs <= 0) {
        throw new IllegalArgumentException("cpuDemandNs must be > 0 for agent " + i + ": " + cpuDemandNs);
      }
      if (!(intrinsicError >= 0 && intrinsicError <= 1)) {
        throw new IllegalArgumentException("intrinsicError must be in [0,1] for agent " + i + ": " + intrinsicError);
      }
      if (!(entryRatePerSec >= 0) || Double.isInfinite(entryRatePerSec)) {
        throw new IllegalArgumentException("entryRatePerSec must be finite and >= 0 for agent " + i + ": " + entryRatePerSec);
      }
      demand[i] = cpuDemandNs;
      error[i] = intrinsicError;
      entry[i] = entryRatePerSec;
      agentSet[i] = true;
      return this;
    }

    /** Explicit capacity of agent {@code i} (used by {@link #build()}). */
    public Builder capacity(int i, int instances, double coresPerInstance, int threadsPerInstance, int queueCapacity) {
      checkAgent(i);
      if (instances < 1 || !(coresPerInstance > 0) || threadsPerInstance < 1 || queueCapacity < 0) {
        throw new IllegalArgumentException("bad capacity for agent " + i + ": instances=" + instances
            + " cores=" + coresPerInstance + " threads=" + threadsPerInstance + " queue=" + queueCapacity);
      }
      this.instances[i] = instances;
      cores[i] = coresPerInstance;
      threads[i] = threadsPerInstance;
      queue[i] = queueCapacity;
      return this;
    }

    /** A call with Resilience4j retry defaults and the p99.9 timeout rule. */
    public Builder call(int caller, int callee, double probability, int multiplicity) {
      return call(caller, callee, probability, multiplicity, -1, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_WAIT_NS);
    }

    /**
     * A call; {@code timeoutNs > 0} is explicit, {@code 0} or {@code −1} selects the p99.9 timeout
     * rule, and {@code timeoutNs < −1} the rule with a floor of {@code −timeoutNs}.
     */
    public Builder call(int caller, int callee, double probability, int multiplicity, long timeoutNs,
        int maxAttempts, long retryWaitNs) {
      if (retryWaitNs < 0) {
        throw new IllegalArgumentException("bad call " + caller + "->" + callee + ": retryWaitNs=" + retryWaitNs);
      }
      return call(caller, callee, probability, multiplicity, multiplicity, -1, false, timeoutNs, maxAttempts,
          Backoff.fixed(retryWaitNs));
    }

    /**
     * The general call.
     *
     * @param multiplicityMin smallest number of calls when invoked (≥ 1)
     * @param multiplicityMax largest (≥ min); the number is uniform on [min, max]
     * @param exclusiveGroup −1 for an independent edge, else the caller-local group id (see the class doc)
     * @param async true for a non-blocking message-queue call
     * @param timeoutNs per-attempt timeout: explicit if {@code > 0}; the p99.9 rule if 0 or −1; the
     *     rule with a floor of {@code −timeoutNs} if {@code < −1}
     * @param maxAttempts total attempts A ≥ 1
     * @param backoff the retry wait schedule
     */
    public Builder call(int caller, int callee, double probability, int multiplicityMin, int multiplicityMax,
        int exclusiveGroup, boolean async, long timeoutNs, int maxAttempts, Backoff backoff) {
      return call(caller, callee, probability, multiplicityMin, multiplicityMax, exclusiveGroup, -1, async, timeoutNs,
          maxAttempts, backoff);
    }

    /**
     * The general call with a parallel group.
     *
     * @param parallelGroup −1 for a call made in sequence, else a caller-local parallel group id ≥ 0:
     *     the invocations of all the caller's edges with that id are issued at once, at the position
     *     of the group's first edge, and the request goes on when every one of them has ended (see
     *     the class doc); an edge cannot be in an exclusive group and a parallel group at once
     * @see #call(int, int, double, int, int, int, boolean, long, int, Backoff)
     */
    public Builder call(int caller, int callee, double probability, int multiplicityMin, int multiplicityMax,
        int exclusiveGroup, int parallelGroup, boolean async, long timeoutNs, int maxAttempts, Backoff backoff) {
      java.util.Objects.requireNonNull(backoff, "backoff");
      if (parallelGroup < -1 || (parallelGroup >= 0 && exclusiveGroup >= 0)) {
        throw new IllegalArgumentException("bad call " + caller + "->" + callee + ": parallel group " + parallelGroup
            + ", exclusive group " + exclusiveGroup + " (need parallel group >= -1, and not both >= 0)");
      }
      int multiplicity = multiplicityMin;
      long retryWaitNs = backoff.baseNs();
      if (multiplicityMax < multiplicityMin || exclusiveGroup < -1) {
        throw new IllegalArgumentException("bad call " + caller + "->" + callee + ": multiplicity range ["
            + multiplicityMin + ", " + multiplicityMax + "], exclusive group " + exclusiveGroup
            + " (need max >= min and group >= -1)");
      }
      checkAgent(caller);
      checkAgent(callee);
      if (caller == callee) {
        throw new IllegalArgumentException("self-call on agent " + caller);
      }
      if (!(probability > 0 && probability <= 1)) {
        throw new IllegalArgumentException("probability must be in (0,1] on " + caller + "->" + callee + ": " + probability);
      }
      if (multiplicity < 1 || maxAttempts < 1 || retryWaitNs < 0) {
        throw new IllegalArgumentException("bad call " + caller + "->" + callee + ": multiplicity=" + multiplicity
            + " maxAttempts=" + maxAttempts + " retryWaitNs=" + retryWaitNs);
      }
      if (edgeCount == eCaller.length) {
        int c = edgeCount * 2;
        eCaller = Arrays.copyOf(eCaller, c);
        eCallee = Arrays.copyOf(eCallee, c);
        eProb = Arrays.copyOf(eProb, c);
        eMult = Arrays.copyOf(eMult, c);
        eTimeout = Arrays.copyOf(eTimeout, c);
        eAttempts = Arrays.copyOf(eAttempts, c);
        eWait = Arrays.copyOf(eWait, c);
        eMultMax = Arrays.copyOf(eMultMax, c);
        eGroup = Arrays.copyOf(eGroup, c);
        ePar = Arrays.copyOf(ePar, c);
        eAsync = Arrays.copyOf(eAsync, c);
        eBackoffMult = Arrays.copyOf(eBackoffMult, c);
        eMaxWait = Arrays.copyOf(eMaxWait, c);
        eJitter = Arrays.copyOf(eJitter, c);
      }
      int e = edgeCount++;
      eMultMax[e] = multiplicityMax;
      eGroup[e] = exclusiveGroup;
      ePar[e] = parallelGroup;
      eAsync[e] = async;
      eBackoffMult[e] = backoff.multiplier();
      eMaxWait[e] = backoff.maxNs();
      eJitter[e] = backoff.jitter();
      eCaller[e] = caller;
      eCallee[e] = callee;
      eProb[e] = probability;
      eMult[e] = multiplicity;
      eTimeout[e] = timeoutNs;
      eAttempts[e] = maxAttempts;
      eWait[e] = retryWaitNs;
      return this;
    }

    /** Builds with the explicit capacities given through {@link #capacity}. */
    public SimTopology build() {
      checkAll(false);
      checkGroups();
      Sampler sampler = sampler(0);
      double[] lambda = sampler == null ? designRates() : sampler.rates();
      double[] resp = sampler == null ? designResponse(lambda) : sampler.response(ownResponse(lambda));
      return new SimTopology(this, edgeOrder(), lambda, resp);
    }

    /**
     * Builds with the provisioning rule of D3 (see the class doc).
     *
     * @param alpha tolerance α ≥ 0 (α_i = α·LogNormal(0,0.3))
     * @param seed master seed; α_i come from stream {@code "provision"}
     */
    public SimTopology buildProvisioned(double alpha, long seed) {
      return buildProvisioned(alpha, 1.0, 1, 4.0, 1.0, 4, 2, seed);
    }

    public SimTopology buildProvisioned(double alpha, double betaThr, int minInstances, double maxCoresPerInstance,
        double minCoresPerInstance, int minThreadsPerInstance, int queuePerThread, long seed) {
      if (!(alpha >= 0) || !(betaThr >= 0) || minInstances < 1 || !(maxCoresPerInstance > 0)
          || !(minCoresPerInstance >= 0) || minCoresPerInstance > maxCoresPerInstance
          || minThreadsPerInstance < 1 || queuePerThread < 0) {
        throw new IllegalArgumentException("bad provisioning: alpha=" + alpha + " beta=" + betaThr
            + " minInstances=" + minInstances + " maxCores=" + maxCoresPerInstance + " minCores=" + minCoresPerInstance
            + " minThreads=" + minThreadsPerInstance + " queuePerThread=" + queuePerThread);
      }
      checkAll(true);
      checkGroups();
      Sampler sampler = sampler(seed);
      double[] lambda = sampler == null ? designRates() : sampler.rates();
      SplitMix64 rng = Streams.stream(seed, "provision");
      double[] alphas = new double[n];
      for (int i = 0; i < n; i++) {
        double ai = alpha * StrictMath.exp(0.3 * rng.nextGaussian());
        alphas[i] = ai;
        if (latency[i]) {
          instances[i] = 1;
          cores[i] = 1; // set from the concurrency limit below
          continue;
        }
        double totalCores = (1 + ai) * Math.max(lambda[i], 1e-3) * meanDemand(i) * 1e-9;
        int r = Math.max(minInstances, (int) Math.ceil(totalCores / maxCoresPerInstance));
        instances[i] = r;
        cores[i] = Math.max(minCoresPerInstance, totalCores / r);
      }
      double[] resp = sampler == null ? designResponse(lambda) : sampler.response(ownResponse(lambda));
      for (int i = 0; i < n; i++) {
        int r = instances[i];
        double want = Math.ceil((1 + betaThr) * lambda[i] * resp[i] * 1e-9);
        if (!(want <= 1e6)) {
          throw new AgentProvisioningException(i, " would need " + want + " threads (λ^d = " + lambda[i]
              + "/s, R^d = " + resp[i] * 1e-9 + " s): the design response time is unbounded; check the call graph");
        }
        long total = (long) want;
        int c = (int) Math.max(minThreadsPerInstance, (total + r - 1) / r);
        threads[i] = c;
        queue[i] = queuePerThread * c;
        if (latency[i]) {
          cores[i] = c; // every admitted request runs at full speed
          queue[i] = 0;
          if (tokRate[i] == 0) {
            tokRate[i] = (1 + alphas[i]) * Math.max(lambda[i], 1e-3);
            tokBurst[i] = Math.max(1.0, tokRate[i]);
          }
        }
      }
      return new SimTopology(this, edgeOrder(), lambda, resp);
    }

    private double meanDemand(int i) {
      return demand[i] * StrictMath.exp(0.5 * sigma[i] * sigma[i]);
    }

    /** Per (caller, group ≥ 0) the invocation probabilities must sum to at most 1. */
    private void checkGroups() {
      int[] order = edgeOrder();
      int j = 0;
      while (j < edgeCount) {
        int e = order[j];
        if (eGroup[e] < 0) {
          j++;
          continue;
        }
        double sum = 0;
        int k = j;
        while (k < edgeCount && eCaller[order[k]] == eCaller[e] && eGroup[order[k]] == eGroup[e]) {
          sum += eProb[order[k]];
          k++;
        }
        if (sum > 1 + 1e-9) {
          throw new IllegalArgumentException("exclusive group " + eGroup[e] + " of agent " + eCaller[e]
              + " has invocation probabilities summing to " + sum + " > 1");
        }
        j = k;
      }
    }

    private void checkAgent(int i) {
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException("agent index out of range [0," + n + "): " + i);
      }
    }

    private void checkAll(boolean provisioned) {
      for (int i = 0; i < n; i++) {
        if (!agentSet[i]) {
          throw new IllegalStateException("agent " + i + " has no demand/error/entry set; call agent(" + i + ", ...)");
        }
        if (!provisioned && instances[i] == 0) {
          throw new IllegalStateException("agent " + i + " has no capacity; call capacity(" + i + ", ...) or buildProvisioned");
        }
      }
    }

    /**
     * Edges sorted by (caller, key, insertion), key = the first insertion index of the edge's
     * exclusive or parallel group.
     */
    private int[] edgeOrder() {
      Integer[] idx = new Integer[edgeCount];
      int[] key = new int[edgeCount];
      java.util.Map<Long, Integer> firstOfGroup = new java.util.TreeMap<>();
      java.util.Map<Long, Integer> firstOfParallel = new java.util.TreeMap<>();
      for (int e = 0; e < edgeCount; e++) {
        idx[e] = e;
        Integer first = e;
        key[e] = eGroup[e] >= 0 ? firstOfGroup.computeIfAbsent(((long) eCaller[e] << 32) | eGroup[e], g -> first)
            : ePar[e] >= 0 ? firstOfParallel.computeIfAbsent(((long) eCaller[e] << 32) | ePar[e], g -> first) : e;
      }
      Arrays.sort(idx, (x, y) -> eCaller[x] != eCaller[y] ? Integer.compare(eCaller[x], eCaller[y])
          : key[x] != key[y] ? Integer.compare(key[x], key[y]) : Integer.compare(x, y));
      int[] o = new int[edgeCount];
      for (int e = 0; e < edgeCount; e++) {
        o[e] = idx[e];
      }
      return o;
    }

    /** λ ← λ_ext + Π^T λ until the relative change is below 1e-12. */
    private double[] designRates() {
      double[] lambda = entry.clone();
      double[] next = new double[n];
      for (int it = 0; it < 100_000; it++) {
        System.arraycopy(entry, 0, next, 0, n);
        for (int e = 0; e < edgeCount; e++) {
          next[eCallee[e]] += 0.5 * (eMult[e] + eMultMax[e]) * eProb[e] * lambda[eCaller[e]];
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
          diff = Math.max(diff, Math.abs(next[i] - lambda[i]));
          norm = Math.max(norm, Math.abs(next[i]));
        }
        double[] t = lambda;
        lambda = next;
        next = t;
        if (!Double.isFinite(norm) || norm > 1e300) {
          break;
        }
        if (diff <= 1e-12 * Math.max(1, norm)) {
          return lambda;
        }
      }
      throw new IllegalStateException("design arrival rates do not converge: the spectral radius of Π = m·π must be < 1");
    }

    private double[] designResponse(double[] lambda) {
      double[] own = ownResponse(lambda);
      double[] resp = own.clone();
      double[] next = new double[n];
      int[] ord = edgeOrder();
      double[] gMean = new double[edgeCount];
      double[] gProb = new double[edgeCount];
      int[] gLo = new int[edgeCount];
      int[] gHi = new int[edgeCount];
      for (int it = 0; it <= n + 1; it++) {
        System.arraycopy(own, 0, next, 0, n);
        for (int j = 0; j < edgeCount; j++) {
          int e = ord[j];
          if (ePar[e] < 0) {
            if (!eAsync[e]) {
              next[eCaller[e]] += 0.5 * (eMult[e] + eMultMax[e]) * eProb[e] * resp[eCallee[e]];
            }
            continue;
          }
          // a parallel group (contiguous in ord): the expected max of its invocations
          int k = j;
          int cnt = 0;
          while (k < edgeCount && eCaller[ord[k]] == eCaller[e] && ePar[ord[k]] == ePar[e]) {
            int f = ord[k];
            gMean[cnt] = eAsync[f] ? 0 : resp[eCallee[f]];
            gProb[cnt] = eProb[f];
            gLo[cnt] = eMult[f];
            gHi[cnt] = eMultMax[f];
            cnt++;
            k++;
          }
          next[eCaller[e]] += FanOut.expectedMax(gMean, gProb, gLo, gHi, 0, cnt);
          j = k - 1;
        }
        boolean same = Arrays.equals(next, resp);
        double[] t = resp;
        resp = next;
        next = t;
        if (same) {
          break;
        }
      }
      return resp;
    }

    /** Own (CPU or latency) design response time per agent at design load, ns. */
    private double[] ownResponse(double[] lambda) {
      double[] own = new double[n];
      for (int i = 0; i < n; i++) {
        if (latency[i]) {
          own[i] = meanDemand(i);
          continue;
        }
        double rho = Math.min(0.99, lambda[i] * meanDemand(i) * 1e-9 / (cores[i] * instances[i]));
        own[i] = meanDemand(i) / (Math.min(1.0, cores[i]) * (1 - rho));
      }
      return own;
    }

    /** Number of sampled requests of the Monte Carlo design of cyclic topologies. */
    static final int DESIGN_SAMPLES = 50_000;

    /** The Monte Carlo design sampler if re-entry is forbidden and the call graph has a cycle, else null. */
    private Sampler sampler(long seed) {
      if (reentry || !hasCycle()) {
        return null;
      }
      return new Sampler(edgeOrder(), Streams.streamSeed(seed, "design"));
    }

    /** Kahn's algorithm over the call edges. */
    private boolean hasCycle() {
      int[] indeg = new int[n];
      int[] off = new int[n + 1];
      for (int e = 0; e < edgeCount; e++) {
        indeg[eCallee[e]]++;
        off[eCaller[e] + 1]++;
      }
      for (int i = 0; i < n; i++) {
        off[i + 1] += off[i];
      }
      int[] fill = Arrays.copyOf(off, n);
      int[] adj = new int[edgeCount];
      for (int e = 0; e < edgeCount; e++) {
        adj[fill[eCaller[e]]++] = eCallee[e];
      }
      int[] queue = new int[n];
      int head = 0;
      int tail = 0;
      for (int i = 0; i < n; i++) {
        if (indeg[i] == 0) {
          queue[tail++] = i;
        }
      }
      while (head < tail) {
        int x = queue[head++];
        for (int k = off[x]; k < off[x + 1]; k++) {
          if (--indeg[adj[k]] == 0) {
            queue[tail++] = adj[k];
          }
        }
      }
      return tail < n;
    }

    /**
     * Design rates and response times of a cyclic topology under the no-re-entry rule, where the
     * linear model {@code λ = λ_ext + Π^T λ} overcounts (and may diverge): {@link #DESIGN_SAMPLES}
     * requests are sampled with the DES's own call plan (CSR order, exclusive groups, U{m_min..m_max},
     * no synchronous call to an agent on the path; an async call starts a new path) from stream
     * {@code design}. λ^d_i = λ_ext · (visits of i per request); R^d_i is the mean over i's visits
     * of its own response plus the responses of its synchronous calls (sequential; a parallel
     * group adds the expected maximum of its sampled invocations as exponentials). The same draws
     * are replayed for the response pass, so both passes see the same request trees. Agents never
     * visited get λ^d = 0 and R^d = own response.
     */
    private final class Sampler {
      private final int[] ord;
      private final int[] start;
      private final long streamSeed;
      private final int[] mark;
      private final int[] gFirst;
      private final int[] gEnd;
      private final int[] pEnd;
      private int ctx;
      private double[] visits;
      private double[] respSum;
      private double[] own;
      private SplitMix64 rng;

      Sampler(int[] ord, long streamSeed) {
        this.ord = ord;
        this.streamSeed = streamSeed;
        start = new int[n + 1];
        for (int e = 0; e < edgeCount; e++) {
          start[eCaller[e] + 1]++;
        }
        for (int i = 0; i < n; i++) {
          start[i + 1] += start[i];
        }
        mark = new int[n];
        gFirst = new int[edgeCount];
        gEnd = new int[edgeCount];
        for (int j = 0; j < edgeCount; j++) {
          int e = ord[j];
          int g = eGroup[e];
          if (g < 0) {
            gFirst[j] = -1;
          } else if (j > 0 && eCaller[ord[j - 1]] == eCaller[e] && eGroup[ord[j - 1]] == g) {
            gFirst[j] = gFirst[j - 1];
          } else {
            gFirst[j] = j;
          }
        }
        for (int j = edgeCount - 1; j >= 0; j--) {
          gEnd[j] = gFirst[j] < 0 ? j + 1 : j + 1 < edgeCount && gFirst[j + 1] == gFirst[j] ? gEnd[j + 1] : j + 1;
        }
        // pEnd[j] = one past the last member of the parallel group that starts at j (else j + 1)
        pEnd = new int[edgeCount];
        for (int j = edgeCount - 1; j >= 0; j--) {
          int e = ord[j];
          boolean sameAsNext = j + 1 < edgeCount && ePar[e] >= 0 && eCaller[ord[j + 1]] == eCaller[e]
              && ePar[ord[j + 1]] == ePar[e];
          pEnd[j] = sameAsNext ? pEnd[j + 1] : j + 1;
        }
      }

      double[] rates() {
        run(new double[n]);
        double total = 0;
        for (int i = 0; i < n; i++) {
          total += entry[i];
        }
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
          lambda[i] = total * visits[i] / DESIGN_SAMPLES;
        }
        return lambda;
      }

      double[] response(double[] ownResp) {
        run(ownResp);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
          r[i] = visits[i] > 0 ? respSum[i] / visits[i] : ownResp[i];
        }
        return r;
      }

      private void run(double[] ownResp) {
        own = ownResp;
        visits = new double[n];
        respSum = new double[n];
        Arrays.fill(mark, 0);
        fanTop = 0;
        ctx = 0;
        rng = new SplitMix64(streamSeed);
        double[] cdf = new double[n];
        double cum = 0;
        for (int i = 0; i < n; i++) {
          cum += entry[i];
          cdf[i] = cum;
        }
        if (!(cum > 0)) {
          return;
        }
        for (int s = 0; s < DESIGN_SAMPLES; s++) {
          double u = rng.nextDouble() * cum;
          int root = 0;
          while (root < n - 1 && (u >= cdf[root] || entry[root] == 0)) {
            root++;
          }
          ctx++;
          visit(root);
        }
      }

      private int depth;

      private double visit(int v) {
        if (++depth > 2_000) {
          throw new DivergentCallsException("sampled request trees do not terminate (more than 2000 nested calls):"
              + " the expected calls diverge; the spectral radius of Π = m·π over async and cross-path calls must be < 1");
        }
        int saved = mark[v];
        mark[v] = ctx;
        double r = own[v];
        for (int j = start[v]; j < start[v + 1]; j++) {
          int e = ord[j];
          if (ePar[e] >= 0) {
            // a parallel group: every member's invocations at once; the request waits for the last
            // (the expected max of exponentials with the sampled subtrees' responses as means)
            int end = pEnd[j];
            int base = fanTop;
            for (int k = j; k < end; k++) {
              int f = ord[k];
              if (rng.nextDouble() >= eProb[f]) {
                continue;
              }
              int w = eCallee[f];
              if (!eAsync[f] && mark[w] == ctx) {
                continue;
              }
              int m = drawMultiplicity(f);
              for (int x = 0; x < m; x++) {
                if (eAsync[f]) {
                  visitAsync(w);
                } else {
                  double rw = visit(w); // nested groups use fanMean beyond fanTop and restore it
                  if (fanTop == fanMean.length) {
                    fanMean = Arrays.copyOf(fanMean, fanTop * 2);
                  }
                  fanMean[fanTop++] = rw;
                }
              }
            }
            r += expectedMaxOf(base, fanTop);
            fanTop = base;
            j = end - 1;
            continue;
          }
          int c = j;
          if (gFirst[j] >= 0) {
            if (gFirst[j] != j) {
              continue;
            }
            double u = rng.nextDouble();
            c = -1;
            for (int k = j; k < gEnd[j]; k++) {
              u -= eProb[ord[k]];
              if (u < 0) {
                c = k;
                break;
              }
            }
            if (c < 0) {
              continue;
            }
            j = gEnd[j] - 1;
          } else if (rng.nextDouble() >= eProb[e]) {
            continue;
          }
          int ce = ord[c];
          int w = eCallee[ce];
          if (!eAsync[ce] && mark[w] == ctx) {
            continue;
          }
          int m = drawMultiplicity(ce);
          for (int k = 0; k < m; k++) {
            if (eAsync[ce]) {
              visitAsync(w);
            } else {
              r += visit(w);
            }
          }
        }
        mark[v] = saved;
        depth--;
        visits[v]++;
        respSum[v] += r;
        return r;
      }

      private int ctxCounter = DESIGN_SAMPLES + 1;

      /** Calls per invocation of edge f, U{m_min..m_max} from the design stream. */
      private int drawMultiplicity(int f) {
        int lo = eMult[f];
        int hi = eMultMax[f];
        return hi == lo ? lo : lo + rng.nextInt(hi - lo + 1);
      }

      /** An async call starts a new path: nobody waits for it and it does not see the caller's path. */
      private void visitAsync(int w) {
        int outer = ctx;
        ctx = ++ctxCounter;
        visit(w);
        ctx = outer;
      }
      /** The sampled responses of the open parallel groups' invocations, a stack. */
      private double[] fanMean = new double[16];
      private int fanTop;

      /** E[max] of independent exponentials with means {@code fanMean[from..to)}. */
      private double expectedMaxOf(int from, int to) {
        int count = to - from;
        if (count == 0) {
          return 0;
        }
        double[] mu = Arrays.copyOfRange(fanMean, from, to);
        double[] one = new double[count];
        int[] m1 = new int[count];
        Arrays.fill(one, 1.0);
        Arrays.fill(m1, 1);
        return FanOut.expectedMax(mu, one, m1, m1, 0, count);
      }
    }
  }
}

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
 * design response time {@code R^d_i = d_i/(min(1,k_i)(1−ρ_i)) + Σ_k m_ik π_ik R^d_k} with
 * {@code ρ_i = λ^d_i d_i / (k_i r_i)}; threads {@code c_i r_i = ⌈(1+β) λ^d_i R^d_i⌉} with
 * {@code β = 1}, at least {@code minThreadsPerInstance} per instance (assumption: real pools are
 * never a single thread); queue {@code Q_i = queuePerThread · c_i} per instance (assumption, the
 * spec does not fix Q). Timeouts not given explicitly follow the p99.9 rule
 * {@code τ_ij = max(50 ms, ln(1000) · R^d_j)} (response time taken as exponential, which gives
 * {@code τμ = 27.6} at ρ = 0.75 as in the D4 table).
 *
 * <p>Self-contained on purpose: it will be unified with {@code io.aura.cascade.graph} later.
 */
public final class SimTopology {
  /** Resilience4j Retry default: maxAttempts = 3 (total). */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** Resilience4j Retry default: fixed waitDuration = 500 ms. */
  public static final long DEFAULT_RETRY_WAIT_NS = 500_000_000L;
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
  final long[] timeoutNs;
  final int[] maxAttempts;
  final long[] retryWaitNs;

  private SimTopology(Builder b, int[] order, double[] lambda, double[] resp) {
    n = b.n;
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
    timeoutNs = new long[m];
    maxAttempts = new int[m];
    retryWaitNs = new long[m];
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
      maxAttempts[j] = b.eAttempts[e];
      retryWaitNs[j] = b.eWait[e];
      timeoutNs[j] =
          b.eTimeout[e] > 0
              ? b.eTimeout[e]
              : Math.max(MIN_TIMEOUT_NS, Math.round(StrictMath.log(1000.0) * resp[b.eCallee[e]]));
    }
  }

  public static Builder builder(int agents) {
    return new Builder(agents);
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

  public int multiplicity(int edge) {
    return multiplicity[edge];
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
    return designArrivalRatePerSec[agent] * cpuDemandNs[agent] * 1e-9
        / (coresPerInstance[agent] * instances[agent]);
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
    private int edgeCount;
    private int[] eCaller = new int[16];
    private int[] eCallee = new int[16];
    private double[] eProb = new double[16];
    private int[] eMult = new int[16];
    private long[] eTimeout = new long[16];
    private int[] eAttempts = new int[16];
    private long[] eWait = new long[16];

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

    /** A call; {@code timeoutNs <= 0} selects the p99.9 timeout rule. */
    public Builder call(int caller, int callee, double probability, int multiplicity, long timeoutNs,
        int maxAttempts, long retryWaitNs) {
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
      }
      int e = edgeCount++;
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
      double[] lambda = designRates();
      double[] resp = designResponse(lambda);
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
          || !(minCoresPerInstance > 0) || minCoresPerInstance > maxCoresPerInstance
          || minThreadsPerInstance < 1 || queuePerThread < 0) {
        throw new IllegalArgumentException("bad provisioning: alpha=" + alpha + " beta=" + betaThr
            + " minInstances=" + minInstances + " maxCores=" + maxCoresPerInstance
            + " minThreads=" + minThreadsPerInstance + " queuePerThread=" + queuePerThread);
      }
      checkAll(true);
      double[] lambda = designRates();
      SplitMix64 rng = Streams.stream(seed, "provision");
      for (int i = 0; i < n; i++) {
        double ai = alpha * StrictMath.exp(0.3 * rng.nextGaussian());
        double totalCores = (1 + ai) * Math.max(lambda[i], 1e-3) * demand[i] * 1e-9;
        int r = Math.max(minInstances, (int) Math.ceil(totalCores / maxCoresPerInstance));
        instances[i] = r;
        cores[i] = Math.max(minCoresPerInstance, totalCores / r);
      }
      double[] resp = designResponse(lambda);
      for (int i = 0; i < n; i++) {
        int r = instances[i];
        long total = (long) Math.ceil((1 + betaThr) * lambda[i] * resp[i] * 1e-9);
        int c = (int) Math.max(minThreadsPerInstance, (total + r - 1) / r);
        threads[i] = c;
        queue[i] = queuePerThread * c;
      }
      return new SimTopology(this, edgeOrder(), lambda, resp);
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

    private int[] edgeOrder() {
      Integer[] idx = new Integer[edgeCount];
      for (int e = 0; e < edgeCount; e++) {
        idx[e] = e;
      }
      Arrays.sort(idx, (x, y) -> eCaller[x] != eCaller[y] ? Integer.compare(eCaller[x], eCaller[y]) : Integer.compare(x, y));
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
          next[eCallee[e]] += eMult[e] * eProb[e] * lambda[eCaller[e]];
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
      double[] own = new double[n];
      for (int i = 0; i < n; i++) {
        double rho = Math.min(0.99, lambda[i] * demand[i] * 1e-9 / (cores[i] * instances[i]));
        own[i] = demand[i] / (Math.min(1.0, cores[i]) * (1 - rho));
      }
      double[] resp = own.clone();
      double[] next = new double[n];
      for (int it = 0; it <= n + 1; it++) {
        System.arraycopy(own, 0, next, 0, n);
        for (int e = 0; e < edgeCount; e++) {
          next[eCaller[e]] += eMult[e] * eProb[e] * resp[eCallee[e]];
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
  }
}

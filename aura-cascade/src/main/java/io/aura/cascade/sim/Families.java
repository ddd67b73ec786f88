package io.aura.cascade.sim;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.AlibabaLike;
import io.aura.cascade.graph.BarabasiAlbert;
import io.aura.cascade.graph.DeathStarSocialNetwork;
import io.aura.cascade.graph.LlmOrchestrations;
import io.aura.cascade.graph.ServiceGraph;
import io.aura.cascade.graph.TopologySpec;
import io.aura.cascade.graph.WattsStrogatz;
import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge from the CPB graph families ({@code io.aura.cascade.graph}, spec section 2) to the D3
 * simulator's {@link SimTopology}, and the registry of family names.
 *
 * <p><b>Bridge</b> ({@link #fromServiceGraph}): node i becomes agent i with own demand d_i (a
 * demand of 0 becomes 1 µs: the DES needs a positive service time), intrinsic error 0 and design
 * entry rate {@code totalEntryRatePerSec · share_i}. Every edge with π &gt; 0 becomes a call with its
 * π, its multiplicity range U{m_min..m_max} and its exclusive group; an {@code ASYNC} edge becomes
 * a non-blocking call; DB/MC/RPC edges are synchronous. Edges with π = 0 are dropped (they never
 * fire), and so are out-edges of leaf nodes (see below). Capacities follow the D3 provisioning rule with tolerance α ({@link
 * SimTopology.Builder#buildProvisioned(double, double, int, double, double, int, int, long)}, α_i from stream
 * {@code provision}) with the spec's exact CPU quota {@code k_i r_i = (1+α_i) λ^d_i d_i}: no per-instance core
 * floor ({@link #MIN_CORES_PER_INSTANCE} = 0), so a low-traffic agent runs near the nominal ρ like every other
 * agent. (Until 2026-11-26 the bridge used the builder's 1-core floor; it over-provisioned every agent with
 * less than one core of demand and kept ALI-1000 from cascading, see docs/cpb-families.md.)
 * A request never re-enters an agent on its call path (spec 2a3), except in b2-pipe, whose
 * feedback edges are re-entries by design.
 *
 * <p><b>Leaf back-edges.</b> ALI's step 4 reverses 2% of the edges; a reversed middle → leaf edge
 * makes a leaf (a store, a cache or a stateless leaf, i.e. by its role a service that calls nobody)
 * the caller of a middle. Hot leaves then call back into middle subtrees, the request trees get a
 * heavy tail (ALI-1000 seed 1: 130 calls per request on average, p99 1513, against 48 without),
 * threads of hot leaves are held by those subtrees, and the topology collapses under B0 at nominal
 * load without any fault (measured at ℓ = 0.9, α = 0.2: availability 0.66 and S = 0.16 over 400 s
 * with leaf back-edges, 0.9996 and 0.000 without). The bridge therefore drops every out-edge of a
 * leaf from the D3 call plan (the edges stay in the {@link ServiceGraph}); back-edges between
 * middles and entries stay, so D3 still has cycles, handled by the no-re-entry rule.
 *
 * <p><b>LLM orchestrations</b> (spec 2b), by role:
 * <ul>
 *   <li>{@code LLM_PROVIDER}: latency-bound (see {@link SimTopology}): service time LogNormal(median
 *       d = 3 s, σ = 0.5), a token bucket of {@code (1+α_P) λ^d_P} requests/s with a one-second burst
 *       (the RPM limit; empty bucket → rejected, i.e. 429), a concurrency limit from the D3 thread
 *       rule {@code ⌈2 λ^d E[S]⌉} and no queue (beyond the limit → rejected, "overloaded").
 *       Calls into it: τ = 120 s, the OpenAI SDK retry policy (3 attempts, 0.5 s · 2^k backoff capped
 *       at 8 s with jitter factor 1 − 0.25 U; {@link SimTopology.Backoff#openAiSdk()}), applied to
 *       429s, overload rejections, errors and timeouts alike.</li>
 *   <li>{@code TOOL}: an ordinary CPU-provisioned service with service time LogNormal(median
 *       300 ms, σ = 1.0); calls into tools: one attempt, p99.9 timeout rule.</li>
 *   <li>Agent → agent calls in a graph that has a provider: τ = max(120 s, the p99.9 rule), one
 *       attempt (frameworks do not retry sub-agent hand-offs by default; assumption). The p99.9
 *       floor matters because hand-offs are nested calls here: a pipeline's first stage waits for
 *       every later stage, which takes longer than 120 s by design.</li>
 *   <li>b4 MACNET is a workflow DAG in which every actor runs once per task: only the first
 *       in-edge of each actor (lowest edge id) is a D3 hand-off; the other DAG edges are critic
 *       edges, represented by the callee's extra provider calls (1 + in-degree) and kept for D5.
 *       Nested calls over every DAG edge would run an actor once per source path, a number that
 *       grows exponentially with depth.</li>
 * </ul>
 * <b>Fan-out</b>: a b1 manager's hand-offs to its workers and the b3 moderator's start of the
 * debaters form one parallel group per caller ({@link SimTopology.Builder#call(int, int, double,
 * int, int, int, int, boolean, long, int, SimTopology.Backoff)}): they leave together and the caller
 * waits for the last (before 2026-11-26 they ran one after another, so a manager's latency was the
 * sum, not the max, of its children's). The other families call in sequence.
 * <b>Approximations</b> (documented in docs/cpb-families.md): k-of-n completion is not modelled (the
 * manager waits for all workers, the spec's first option); ε_P(t) is 0 outside F5; the provider's
 * 429 carries no Retry-After. The b3 debate's agent-to-agent async message edges are not D3 calls
 * (a received message would re-run the receiver's whole plan, an endless message storm): the
 * debate's load is its n·R provider calls; the message edges matter for D5 (semantic contagion).
 *
 * <p><b>Registry</b> ({@link #build}): names, case-insensitive, with defaults for the omitted
 * parameters: {@code dsb-sn}; {@code ali-<N>} (N ∈ {100, 1000, 20000} in the spec; any N ≥ 3);
 * {@code meta-<N>}; {@code b1-hier[-<D>-<B>]} (default D = 3, B = 3); {@code b2-pipe[-<L>]}
 * (default L = 5, p_rej = 0.2); {@code b3-debate[-<n>-<R>]} (default 5 debaters, 3 rounds);
 * {@code b4-macnet-<N>[-<shape>]} (default small-world); {@code ba-<N>-<m>}; {@code ws-<N>-<k>-<beta>}.
 * The graph comes from stream {@code graph} of the seed. The directed BA and WS variants of spec 2c
 * are DAGs with every node calling all its out-neighbours with π = 1 in the graph package; for D3
 * the bridge thins them to π = min(1, 0.8 / outdeg(caller)) so that a request is a subcritical
 * branching (0.8 expected children per call, as ALI's "subcritical branching" rationale) instead of
 * visiting every path of the DAG (whose count grows exponentially with depth).
 *
 * <p><b>Default total entry rates</b> ({@link #defaultEntryRate}), chosen so that one 1800-s
 * episode of the spec's sizes runs in seconds on one core (measured in docs/cpb-families.md):
 * dsb-sn 300/s; ali-N and meta-N 0.12·N /s (ali-1000: 120/s); b1–b4 1 task/s (b4: N/16 tasks/s);
 * ba/ws 0.5·N /s.
 */
public final class Families {
  /** Timeout of calls to the LLM provider and between LLM agents (spec 2b/D3), 120 s. */
  public static final long LLM_TIMEOUT_NS = 120_000_000_000L;
  /** LogNormal σ of the provider latency (spec 2b). */
  public static final double PROVIDER_SIGMA = 0.5;
  /** LogNormal σ of the tool latency (spec 2b). */
  public static final double TOOL_SIGMA = 1.0;
  /**
   * Per-instance core floor of the bridge's provisioning: 0, the spec's exact quota (D3: {@code k_i r_i / d_i =
   * (1+α_i) λ^d_i}). A lone request on an instance with k &lt; 1 cores runs at rate k (processor sharing).
   */
  public static final double MIN_CORES_PER_INSTANCE = 0.0;
  /** Attempts of the OpenAI SDKs: 2 retries, 3 attempts. */
  public static final int SDK_ATTEMPTS = 3;
  /** Expected children per call in the thinned directed BA/WS variants. */
  public static final double SCALE_FAMILY_BRANCHING = 0.8;
  /** b2-pipe default rejection probability. */
  public static final double PIPE_REJECT = 0.2;

  private static final Pattern ALI = Pattern.compile("ali-(\\d+)");
  private static final Pattern META = Pattern.compile("meta-(\\d+)");
  private static final Pattern HIER = Pattern.compile("b1-hier(?:-(\\d+)-(\\d+))?");
  private static final Pattern PIPE = Pattern.compile("b2-pipe(?:-(\\d+))?");
  private static final Pattern DEBATE = Pattern.compile("b3-debate(?:-(\\d+)-(\\d+))?");
  private static final Pattern MACNET = Pattern.compile("b4-macnet-(\\d+)(?:-([a-z-]+))?");
  private static final Pattern BA = Pattern.compile("ba-(\\d+(?:e\\d+)?)-(\\d+)");
  private static final Pattern WS = Pattern.compile("ws-(\\d+(?:e\\d+)?)-(\\d+)-([0-9.]+)");

  private Families() {}

  /** The accepted name patterns, for help texts and error messages. */
  public static List<String> names() {
    return List.of("dsb-sn", "ali-100", "ali-1000", "ali-20000", "ali-<N>", "meta-1000", "meta-<N>",
        "b1-hier", "b1-hier-<D>-<B>", "b2-pipe", "b2-pipe-<L>", "b3-debate", "b3-debate-<n>-<R>",
        "b4-macnet-<N>", "b4-macnet-<N>-<chain|star|tree|mesh|layered|random|small-world>", "ba-<N>-<m>",
        "ws-<N>-<k>-<beta>");
  }

  /**
   * How the bridge treats a graph: re-entry allowed, thinned branching (scale families), fan-out (b1,
   * b3: a caller's hand-offs form one parallel group) and workflow DAG (b4: an actor is handed off by
   * its first parent only). They come from the family, never from a graph's name, so a user topology
   * called "HIER-..." is bridged as any other ({@link #PLAIN}).
   */
  private record BridgeOptions(boolean reentry, boolean thinScale, boolean fanOut, boolean workflowDag) {
    static final BridgeOptions PLAIN = new BridgeOptions(false, false, false, false);
  }

  /** A family resolved to its graph, default entry rate and bridge options. */
  private record Resolved(ServiceGraph graph, double rate, BridgeOptions options) {
    Resolved(ServiceGraph graph, double rate, boolean reentry, boolean thinScale) {
      this(graph, rate, new BridgeOptions(reentry, thinScale, false, false));
    }
  }

  /**
   * Builds family {@code name} (see the class doc) with its default entry rate, provisioned with
   * tolerance α; the graph from stream {@code graph} and α_i from stream {@code provision} of
   * {@code seed}.
   *
   * @throws CascadeInputException for an unknown or malformed name (the message lists the accepted
   *     patterns) or out-of-range parameters
   */
  public static SimTopology build(String name, double alpha, long seed) {
    return build(name, Double.NaN, alpha, seed);
  }

  /**
   * Builds family {@code name} with an explicit total entry rate.
   *
   * @throws CascadeInputException as {@link #build(String, double, long)}, or for a bad rate
   */
  public static SimTopology build(String name, double totalEntryRatePerSec, double alpha, long seed) {
    return provision(name, totalEntryRatePerSec, alpha, seed).topology();
  }

  /**
   * Most graphs ALI(N) and Meta(N) can draw have convergent calls; a few have async calls whose
   * expected fan-out diverges (ALI-100: seeds 512 and 862 of 1–1000), and cannot be provisioned.
   * Such a seed's graph is drawn again from stream {@code graph/redraw-k} (k = 1, 2, ..., at most
   * this many times), so every seed yields a graph; every other seed's graph is unchanged.
   */
  public static final int MAX_REDRAWS = 8;

  /** How many times seed's graph of family {@code name} was redrawn (0 almost always). */
  public static int redraws(String name, long seed) {
    return provision(name, Double.NaN, PROBE_ALPHA, seed).redraws();
  }

  /** α for provisioning only to learn which graph a seed gets: divergence is the graph's, not α's. */
  private static final double PROBE_ALPHA = 0.2;

  /** A family's graph for a seed (after any redraws), provisioned. */
  private record Provisioned(ServiceGraph graph, SimTopology topology, int redraws) {}

  /** Provisions seed's graph of family {@code name} (rate NaN: the family's default), redrawing a divergent one. */
  private static Provisioned provision(String name, double totalEntryRatePerSec, double alpha, long seed) {
    boolean redrawable = redrawable(name);
    for (int k = 0; ; k++) {
      Resolved r = resolve(name, seed, k);
      double rate = Double.isNaN(totalEntryRatePerSec) ? r.rate : totalEntryRatePerSec;
      try {
        return new Provisioned(r.graph, bridge(r.graph, rate, alpha, seed, null, r.options), k);
      } catch (CascadeInputException e) {
        if (!(e.getCause() instanceof SimTopology.DivergentCallsException) || !redrawable || k >= MAX_REDRAWS) {
          throw e;
        }
      }
    }
  }

  private static boolean redrawable(String name) {
    String s = normalise(name);
    return ALI.matcher(s).matches() || META.matcher(s).matches();
  }

  /** The default total entry rate (requests or tasks per second) of family {@code name}. */
  public static double defaultEntryRate(String name) {
    String s = normalise(name);
    Matcher m;
    if (s.equals("dsb-sn")) {
      return 300;
    } else if ((m = ALI.matcher(s)).matches() || (m = META.matcher(s)).matches()) {
      return 0.12 * parseCount(m.group(1), s);
    } else if (HIER.matcher(s).matches() || PIPE.matcher(s).matches() || DEBATE.matcher(s).matches()) {
      return 1.0;
    } else if ((m = MACNET.matcher(s)).matches()) {
      return Math.max(1.0, parseCount(m.group(1), s) / 16.0);
    } else if ((m = BA.matcher(s)).matches() || (m = WS.matcher(s)).matches()) {
      return 0.5 * parseCount(m.group(1), s);
    }
    throw unknown(name);
  }

  /**
   * The service graph of family {@code name} that {@link #build} bridges: from stream {@code graph}, or
   * for a redrawable family the one provisioning accepted (which takes a provisioning to know).
   */
  public static ServiceGraph graph(String name, long seed) {
    return redrawable(name) ? provision(name, Double.NaN, PROBE_ALPHA, seed).graph() : resolve(name, seed, 0).graph;
  }

  private static Resolved resolve(String name, long seed, int redraw) {
    String s = normalise(name);
    SplitMix64 g = Streams.stream(seed, redraw == 0 ? Streams.GRAPH : Streams.GRAPH + "/redraw-" + redraw);
    Matcher m;
    if (s.equals("dsb-sn")) {
      return new Resolved(DeathStarSocialNetwork.create(g), defaultEntryRate(s), false, false);
    }
    if ((m = ALI.matcher(s)).matches()) {
      int n = parseCount(m.group(1), s);
      return new Resolved(AlibabaLike.ali(n, g), defaultEntryRate(s), false, false);
    }
    if ((m = META.matcher(s)).matches()) {
      int n = parseCount(m.group(1), s);
      return new Resolved(AlibabaLike.metaWide(n, g), defaultEntryRate(s), false, false);
    }
    if ((m = HIER.matcher(s)).matches()) {
      int d = m.group(1) == null ? 3 : parseCount(m.group(1), s);
      int b = m.group(2) == null ? 3 : parseCount(m.group(2), s);
      return new Resolved(LlmOrchestrations.hier(d, b, LlmOrchestrations.Pool.defaults(), g), defaultEntryRate(s),
          new BridgeOptions(false, false, true, false));
    }
    if ((m = PIPE.matcher(s)).matches()) {
      int l = m.group(1) == null ? 5 : parseCount(m.group(1), s);
      return new Resolved(LlmOrchestrations.pipe(l, PIPE_REJECT, LlmOrchestrations.Pool.defaults(), g),
          defaultEntryRate(s), true, false);
    }
    if ((m = DEBATE.matcher(s)).matches()) {
      int n = m.group(1) == null ? 5 : parseCount(m.group(1), s);
      int r = m.group(2) == null ? 3 : parseCount(m.group(2), s);
      return new Resolved(LlmOrchestrations.debate(n, r, LlmOrchestrations.Pool.defaults(), g), defaultEntryRate(s),
          new BridgeOptions(false, false, true, false));
    }
    if ((m = MACNET.matcher(s)).matches()) {
      int n = parseCount(m.group(1), s);
      LlmOrchestrations.MacNetShape shape = m.group(2) == null ? LlmOrchestrations.MacNetShape.SMALL_WORLD
          : parseShape(m.group(2), name);
      return new Resolved(LlmOrchestrations.macnet(n, shape, LlmOrchestrations.Pool.defaults(), g),
          defaultEntryRate(s), new BridgeOptions(false, false, false, true));
    }
    if ((m = BA.matcher(s)).matches()) {
      int n = parseCount(m.group(1), s);
      int k = parseCount(m.group(2), s);
      return new Resolved(BarabasiAlbert.directed(n, k, g), defaultEntryRate(s), false, true);
    }
    if ((m = WS.matcher(s)).matches()) {
      int n = parseCount(m.group(1), s);
      int k = parseCount(m.group(2), s);
      double beta;
      try {
        beta = Double.parseDouble(m.group(3));
      } catch (NumberFormatException e) {
        throw new CascadeInputException("family '" + name + "': beta '" + m.group(3) + "' is not a number");
      }
      if (!(beta >= 0 && beta <= 1)) {
        throw new CascadeInputException("family '" + name + "': beta must be in [0, 1], got " + beta);
      }
      return new Resolved(WattsStrogatz.directed(n, k, beta, g), defaultEntryRate(s), false, true);
    }
    throw unknown(name);
  }

  /**
   * A user topology file (spec: "agents with roles, edges with invocation probability and
   * multiplicity, entry mix"), bridged like a family; each agent's intrinsic error rate is taken
   * from the spec. Re-entry is forbidden as in spec 2a3.
   *
   * @param totalEntryRatePerSec total external traffic, split by the spec's entry mix
   * @throws CascadeInputException for a bad rate or α, or a topology whose expected calls diverge
   */
  public static SimTopology fromSpec(TopologySpec spec, double totalEntryRatePerSec, double alpha, long seed) {
    ServiceGraph g = spec.toServiceGraph();
    double[] err = new double[g.nodeCount()];
    for (int i = 0; i < err.length; i++) {
      err[i] = spec.agents().get(i).errorRate();
    }
    return bridge(g, totalEntryRatePerSec, alpha, seed, err, BridgeOptions.PLAIN);
  }

  /** {@link #fromSpec(TopologySpec, double, double, long)} with the default rate {@link #DEFAULT_SPEC_RATE_PER_SEC}. */
  public static SimTopology fromSpec(TopologySpec spec, double alpha, long seed) {
    return fromSpec(spec, DEFAULT_SPEC_RATE_PER_SEC, alpha, seed);
  }

  /** Default total entry rate of a user topology, 100 requests/s. */
  public static final double DEFAULT_SPEC_RATE_PER_SEC = 100;

  /**
   * The bridge (see the class doc).
   *
   * @param g the service graph
   * @param totalEntryRatePerSec total external request rate λ_ext (split by the entry shares)
   * @param alpha tolerance α ≥ 0
   * @param seed seed of the {@code provision} stream
   * @throws CascadeInputException for a non-finite or non-positive rate, a negative α, or a graph
   *     whose expected calls diverge
   */
  public static SimTopology fromServiceGraph(ServiceGraph g, double totalEntryRatePerSec, double alpha, long seed) {
    return bridge(g, totalEntryRatePerSec, alpha, seed, null, BridgeOptions.PLAIN);
  }

  private static SimTopology bridge(ServiceGraph g, double rate, double alpha, long seed, double[] errorRates,
      BridgeOptions options) {
    boolean reentry = options.reentry();
    boolean thinScale = options.thinScale();
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new CascadeInputException("total entry rate must be finite and > 0 requests/s, got " + rate);
    }
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new CascadeInputException("tolerance alpha must be finite and >= 0, got " + alpha);
    }
    int n = g.nodeCount();
    boolean llm = false;
    for (int i = 0; i < n; i++) {
      llm |= g.role(i) == ServiceGraph.Role.LLM_PROVIDER;
    }
    SimTopology.Builder b = SimTopology.builder(n).allowReentry(reentry);
    boolean workflowDag = options.workflowDag();
    // b1's manager waits for all its workers, b3's moderator starts every debater: a fan-out whose
    // hand-offs leave together (one parallel group per caller), not one after another; its group id
    // is one no edge of the graph declares, so it never merges with a declared group
    boolean fanOut = options.fanOut();
    int fanGroup = 0;
    for (int e = 0; e < g.edgeCount(); e++) {
      fanGroup = Math.max(fanGroup, g.parallelGroup(e) + 1);
    }
    int[] firstParent = new int[n];
    java.util.Arrays.fill(firstParent, -1);
    for (int e = 0; e < g.edgeCount(); e++) {
      if (firstParent[g.target(e)] < 0) {
        firstParent[g.target(e)] = e;
      }
    }
    for (int i = 0; i < n; i++) {
      long d = Math.max(1_000L, g.cpuDemandNs(i));
      double err = errorRates == null ? 0.0 : errorRates[i];
      b.agent(i, d, err, rate * g.entryShare(i));
      if (g.role(i) == ServiceGraph.Role.LLM_PROVIDER) {
        b.latencyBound(i).serviceLogNormal(i, PROVIDER_SIGMA);
      } else if (g.role(i) == ServiceGraph.Role.TOOL) {
        b.serviceLogNormal(i, TOOL_SIGMA);
      }
    }
    // calls to the provider first, then tools, then the rest: an LLM agent thinks, uses its tools,
    // then hands off (the DES makes one request's calls in insertion order)
    int[] order = new int[g.edgeCount()];
    int k = 0;
    for (ServiceGraph.Role first : new ServiceGraph.Role[] {ServiceGraph.Role.LLM_PROVIDER, ServiceGraph.Role.TOOL, null}) {
      for (int e = 0; e < g.edgeCount(); e++) {
        ServiceGraph.Role r = g.role(g.target(e));
        boolean special = r == ServiceGraph.Role.LLM_PROVIDER || r == ServiceGraph.Role.TOOL;
        if (first == null ? !special : r == first) {
          order[k++] = e;
        }
      }
    }
    for (int e : order) {
      double pi = g.invocationProbability(e);
      int from = g.source(e);
      int to = g.target(e);
      if (thinScale) {
        pi = Math.min(pi, SCALE_FAMILY_BRANCHING / g.outDegree(from));
      }
      if (!(pi > 0) || g.role(from).isLeaf()) {
        continue; // leaves (stores, caches, stateless leaves) call nobody in D3; see the class doc
      }
      boolean async = g.edgeType(e) == ServiceGraph.EdgeType.ASYNC;
      if (llm && async && isLlmAgent(g.role(from)) && isLlmAgent(g.role(to))) {
        continue; // b3 debate messages: carried by the round structure, no D3 load (see the class doc)
      }
      int lo = g.multiplicityMin(e);
      int hi = g.multiplicityMax(e);
      int group = g.exclusiveGroup(e);
      ServiceGraph.Role callee = g.role(to);
      if (callee == ServiceGraph.Role.LLM_PROVIDER) {
        b.call(from, to, pi, lo, hi, group, g.parallelGroup(e), async, LLM_TIMEOUT_NS, SDK_ATTEMPTS,
            SimTopology.Backoff.openAiSdk());
      } else if (callee == ServiceGraph.Role.TOOL) {
        b.call(from, to, pi, lo, hi, group, g.parallelGroup(e), async, -1, 1,
            SimTopology.Backoff.fixed(SimTopology.DEFAULT_RETRY_WAIT_NS));
      } else if (llm) {
        if (workflowDag && firstParent[to] != e) {
          continue; // MACNET: an actor runs once per task, handed off by its first parent
        }
        int parallel = fanOut && group < 0 && !async ? fanGroup : g.parallelGroup(e);
        b.call(from, to, pi, lo, hi, group, parallel, async, -LLM_TIMEOUT_NS, 1,
            SimTopology.Backoff.fixed(SimTopology.DEFAULT_RETRY_WAIT_NS));
      } else {
        b.call(from, to, pi, lo, hi, group, g.parallelGroup(e), async, -1, SimTopology.DEFAULT_MAX_ATTEMPTS,
            SimTopology.Backoff.fixed(SimTopology.DEFAULT_RETRY_WAIT_NS));
      }
    }
    try {
      return b.buildProvisioned(alpha, 1.0, 1, 4.0, MIN_CORES_PER_INSTANCE, 4, 2, seed);
    } catch (SimTopology.AgentProvisioningException ex) { // by the name the graph (a user's file) gives it
      throw new CascadeInputException("graph '" + g.name() + "' cannot be provisioned: agent '" + g.nodeName(ex.agent())
          + "'" + ex.detail(), ex);
    } catch (IllegalStateException ex) {
      throw new CascadeInputException("graph '" + g.name() + "' cannot be provisioned: " + ex.getMessage(), ex);
    }
  }

  private static boolean isLlmAgent(ServiceGraph.Role r) {
    return r == ServiceGraph.Role.ENTRY || r == ServiceGraph.Role.MIDDLE;
  }

  private static String normalise(String name) {
    if (name == null || name.isBlank()) {
      throw new CascadeInputException("family name is blank; accepted: " + String.join(", ", names()));
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }

  private static CascadeInputException unknown(String name) {
    return new CascadeInputException("unknown graph family '" + name + "'; accepted: " + String.join(", ", names()));
  }

  /** Parses a count such as "1000" or "1e6" (only exact integers up to 2^31 − 1). */
  private static int parseCount(String text, String name) {
    long v;
    try {
      int e = text.indexOf('e');
      v = e < 0 ? Long.parseLong(text) : Math.multiplyExact(Long.parseLong(text.substring(0, e)),
          pow10(Integer.parseInt(text.substring(e + 1))));
    } catch (NumberFormatException | ArithmeticException ex) {
      throw new CascadeInputException("family '" + name + "': '" + text + "' is not a count");
    }
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw new CascadeInputException("family '" + name + "': count " + text + " out of range [1, " + Integer.MAX_VALUE + "]");
    }
    return (int) v;
  }

  private static long pow10(int k) {
    if (k < 0 || k > 18) {
      throw new ArithmeticException("exponent");
    }
    long p = 1;
    for (int i = 0; i < k; i++) {
      p *= 10;
    }
    return p;
  }

  private static LlmOrchestrations.MacNetShape parseShape(String shape, String name) {
    for (LlmOrchestrations.MacNetShape s : LlmOrchestrations.MacNetShape.values()) {
      if (s.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(shape)) {
        return s;
      }
    }
    throw new CascadeInputException("family '" + name + "': unknown MACNET shape '" + shape
        + "'; use chain, star, tree, mesh, layered, random or small-world");
  }
}

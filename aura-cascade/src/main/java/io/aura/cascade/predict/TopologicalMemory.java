package io.aura.cascade.predict;

import io.aura.tda.PersistenceDiagram;
import io.aura.tda.PersistenceLandscape;
import io.aura.tda.UniformGrid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Topological memory (issue 4, {@code enable_memory}): signatures of past situations with the outcome
 * that followed them, and k-nearest-neighbour queries by persistence-landscape distance.
 *
 * <p><b>Signature.</b> The persistence landscapes of the guard's state cloud at a control tick: the
 * Vietoris–Rips H0 and H1 diagrams of the 30 newest one-second changes of the system state (the
 * cloud of {@code landscape_l1}, {@link FeatureExtractor}), with every birth and death r mapped
 * through {@code φ(r) = ln(1 + r/}{@value #R0}{@code )} and essential classes cut at φ(largest
 * pairwise distance). φ is increasing, concave and φ(0) = 0, so {@code φ∘d} is again a metric and the
 * mapped diagrams are exactly the diagrams of the Rips filtration of the cloud under {@code φ∘d}
 * (the same simplices enter in the same order); the log scale lets a calm cloud (changes of 10⁻³) and
 * a fault (changes of 0.1–1) both leave a visible landscape on one fixed grid. The signature is
 * λ_1..λ_{@value #LEVELS} of H0 and of H1, each sampled at the {@value #GRID} midpoints
 * {@code t_j = (j + ½)·h}, {@code h = }{@value #SCALE_MAX}{@code /}{@value #GRID}, of [0,
 * {@value #SCALE_MAX}]: a vector of {@link #DIM} floats, element {@code (dim·LEVELS + k−1)·GRID + j}
 * = λ_k(t_j) of H_dim. The grid reaches cloud distances up to 0.01·(e⁶ − 1) ≈ 4.0; the part of a
 * landscape beyond t = {@value #SCALE_MAX} is not sampled (a cloud would need one-second changes of
 * that size, e.g. four of the five coordinates swinging by 2 at once).
 *
 * <p><b>Distance.</b> {@link #distance}: {@code ‖λ − μ‖₂ ≈ ( Σ_dim Σ_k Σ_j h (λ_k(t_j) − μ_k(t_j))² )^½},
 * the midpoint-rule value of the L2 landscape distance (Bubenik 2015) summed over both dimensions and
 * the first {@value #LEVELS} levels; for landscapes supported in [0, {@value #SCALE_MAX}] it converges
 * to the exact {@link PersistenceLandscape#distance} as h → 0 (the difference is O(h) per unit of
 * support, tested).
 *
 * <p><b>Outcome.</b> An entry stored at tick τ is labelled cascading when the guard's own estimate of
 * the cumulative failed fraction (the {@code ever_failed_fraction} feature: agents FAILED at any
 * snapshot so far by {@link LiveModel}'s telemetry estimate, divided by N) is at least
 * {@value #CASCADE_FRACTION} at the first tick at or after τ + {@value #HORIZON_SEC} s: "S_cum reached
 * 10% within 60 s". It is the telemetry estimate, not the simulator's ground-truth S_cum. Entries are
 * kept pending (unlabelled, not searchable) until then ({@link #observe}); only every
 * {@value #STRIDE_SEC}-th second is stored, and a tick whose estimate is already ≥ 10% is not stored
 * (the cascade has already happened; there is nothing left to predict). The estimate never decreases,
 * so "≥ 10% at τ + H and < 10% at τ" is "reached 10% within (τ, τ + H]".
 *
 * <p><b>Memory risk.</b> {@link #risk}: over the k nearest labelled entries (ties by insertion order,
 * oldest first), {@code Σ w_i y_i / Σ w_i} with {@code w_i = 1/(d_i + }{@value #EPS}{@code )} and y_i
 * = 1 for a cascading outcome: the distance-weighted share of cascading outcomes, in [0, 1]. With an
 * empty memory it is 0 ("nothing like this ever led to a cascade"), not a prior.
 *
 * <p><b>Capacity and eviction.</b> A memory holds at most {@code capacity} labelled entries of its
 * own; when full, adding one evicts the oldest (FIFO). A memory may sit on top of a frozen
 * <em>seed</em> ({@link #over}), e.g. the entries of the training episodes: queries search the seed's
 * entries (older) and then its own, eviction touches only its own, and the seed is shared read-only
 * by every guard (thread-safe once {@link #freeze frozen}). Pending entries: at most
 * {@value #HORIZON_SEC}/{@value #STRIDE_SEC} + 1. The own arrays start at 64 entries and double up
 * to the capacity, so an empty memory costs about 40 KB.
 *
 * <p><b>Cost.</b> A query scans every entry: O((seed size + capacity) · {@link #DIM}) float operations,
 * less in practice because a candidate's partial sum is abandoned as soon as it exceeds the current
 * k-th best (exact: the result is the same). Memory: {@link #DIM} · 4 + 13 bytes per entry (525 B).
 * Insertion and labelling are O({@link #DIM}).
 *
 * <p>Deterministic: no randomness, no hash order; the same calls give the same answers bit for bit.
 */
public final class TopologicalMemory {
  /** Landscape levels λ_1..λ_K kept per homology dimension. */
  public static final int LEVELS = 4;
  /** Grid points per landscape level. */
  public static final int GRID = 16;
  /** The grid covers [0, SCALE_MAX] of the log scale φ. */
  public static final double SCALE_MAX = 6.0;
  /** Scale of the log map φ(r) = ln(1 + r/R0) (the same 0.01 as {@code landscape_l1}'s ln(1 + 100·L1)). */
  public static final double R0 = 0.01;
  /** Signature length: 2 dimensions (H0, H1) × {@link #LEVELS} × {@link #GRID}. */
  public static final int DIM = 2 * LEVELS * GRID;
  /** Grid spacing h. */
  public static final double STEP = SCALE_MAX / GRID;
  /** Outcome horizon H, seconds. */
  public static final int HORIZON_SEC = 60;
  /** Outcome threshold X on the estimated cumulative failed fraction. */
  public static final double CASCADE_FRACTION = 0.10;
  /** Only ticks whose time is a multiple of this are stored. */
  public static final int STRIDE_SEC = 5;
  /** Neighbours of {@link #risk(float[])}. */
  public static final int DEFAULT_K = 16;
  /** Own entries of a guard's memory (about 5.7 h of ticks at one per {@value #STRIDE_SEC} s). */
  public static final int DEFAULT_CAPACITY = 4096;
  /** Added to distances in the neighbour weights 1/(d + EPS). */
  public static final double EPS = 0.05;
  /** Episode tag of entries this memory labelled itself ({@link #observe}). */
  public static final int CURRENT_EPISODE = -1;

  private static final UniformGrid GRID_POINTS = new UniformGrid(STEP / 2, SCALE_MAX - STEP / 2, GRID);
  private static final int PENDING = HORIZON_SEC / STRIDE_SEC + 1;
  /** Own entries allocated at first; the arrays double (while no entry has been evicted) up to the capacity. */
  private static final int INITIAL = 64;

  /**
   * A neighbour: the entry's episode tag ({@link #CURRENT_EPISODE} for this memory's own labelling, else
   * the tag given when it was added), the time of the tick it remembers, its landscape distance to the
   * query and its outcome.
   */
  public record Neighbour(int episode, long timeSec, double distance, boolean cascaded) {}

  private final TopologicalMemory seed;
  private final int capacity;
  private float[] sigs;
  private long[] times;
  private int[] episodes;
  private boolean[] outcomes;
  private int head;
  private int size;
  private boolean frozen;
  private final float[] pendSig = new float[PENDING * DIM];
  private final long[] pendTime = new long[PENDING];
  private int pendHead;
  private int pendSize;
  private long lastTime = Long.MIN_VALUE;

  /** An empty memory of at most {@code capacity} entries. */
  public TopologicalMemory(int capacity) {
    this(null, capacity);
  }

  private TopologicalMemory(TopologicalMemory seed, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("memory capacity must be >= 1, got " + capacity);
    }
    Math.multiplyExact(capacity, DIM); // the arrays must be addressable when full
    this.seed = seed;
    this.capacity = capacity;
    int initial = Math.min(capacity, INITIAL);
    sigs = new float[initial * DIM];
    times = new long[initial];
    episodes = new int[initial];
    outcomes = new boolean[initial];
  }

  /**
   * An empty memory of at most {@code capacity} own entries whose queries also search the frozen
   * {@code seed} (its entries count as older than any of the new memory's).
   */
  public static TopologicalMemory over(TopologicalMemory seed, int capacity) {
    if (!seed.frozen) {
      throw new IllegalArgumentException("a seed memory must be frozen (shared read-only); call freeze() first");
    }
    return new TopologicalMemory(seed, capacity);
  }

  /** Makes this memory read-only (and safe to share between threads); returns it. Irrevocable. */
  public TopologicalMemory freeze() {
    frozen = true;
    return this;
  }

  /** Whether {@link #freeze} was called. */
  public boolean frozen() {
    return frozen;
  }

  /** Own capacity (the seed's entries not counted). */
  public int capacity() {
    return capacity;
  }

  /** Labelled entries searched by a query: the seed's plus this memory's own. */
  public int size() {
    return (seed == null ? 0 : seed.size()) + size;
  }

  /** This memory's own labelled entries (at most {@link #capacity()}). */
  public int ownSize() {
    return size;
  }

  /** Entries stored by {@link #observe} that are not labelled yet. */
  public int pending() {
    return pendSize;
  }

  /** Labelled entries with a cascading outcome, seed included. */
  public int cascadingCount() {
    int c = seed == null ? 0 : seed.cascadingCount();
    for (int i = 0; i < size; i++) {
      c += outcomes[(head + i) % capacity] ? 1 : 0;
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------- signature

  /** φ(r) = ln(1 + r/{@value #R0}). */
  static double logScale(double r) {
    return Math.log1p(r / R0);
  }

  /**
   * Writes the signature of a state cloud's persistence into {@code out} (class doc; all zeros for an
   * empty cloud).
   *
   * @param out length {@link #DIM}
   */
  public static void signature(TopologicalSignals.StateTopology st, float[] out) {
    requireDim(out, "signature");
    if (!(st.maxDistance() > 0)) {
      Arrays.fill(out, 0f);
      return;
    }
    sampleInto(st.h0(), st.maxDistance(), out, 0);
    sampleInto(st.h1(), st.maxDistance(), out, LEVELS * GRID);
  }

  private static void sampleInto(PersistenceDiagram d, double maxDistance, float[] out, int offset) {
    int n = d.size();
    double[] b = new double[n];
    double[] e = new double[n];
    double cut = logScale(maxDistance);
    for (int i = 0; i < n; i++) {
      b[i] = logScale(d.birth(i));
      e[i] = Math.max(b[i], Double.isInfinite(d.death(i)) ? cut : Math.min(cut, logScale(d.death(i))));
    }
    double[][] lam = PersistenceLandscape.sample(new PersistenceDiagram(d.dimension(), b, e), cut, LEVELS, GRID_POINTS);
    for (int k = 0; k < LEVELS; k++) {
      for (int j = 0; j < GRID; j++) {
        out[offset + k * GRID + j] = (float) lam[k][j];
      }
    }
  }

  /** The landscape distance of two signatures (class doc): symmetric, ≥ 0, 0 for equal signatures. */
  public static double distance(float[] a, float[] b) {
    requireDim(a, "signature");
    requireDim(b, "signature");
    double s = 0;
    for (int i = 0; i < DIM; i++) {
      double d = (double) a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(STEP * s);
  }

  private static void requireDim(float[] v, String what) {
    if (v == null || v.length != DIM) {
      throw new IllegalArgumentException(what + " must have " + DIM + " values, got "
          + (v == null ? "null" : String.valueOf(v.length)));
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException(what + " values must be finite, got " + x);
      }
    }
  }

  private void requireWritable() {
    if (frozen) {
      throw new IllegalStateException("this memory is frozen (read-only)");
    }
  }

  // ---------------------------------------------------------------------------------------- storing

  /**
   * Adds a labelled entry (a copy of {@code signature}), evicting the oldest own entry when full.
   *
   * @param episode a tag returned with the entry by {@link #nearest} (e.g. the index of a training episode)
   * @param timeSec the time of the remembered tick
   */
  public void add(float[] signature, boolean cascaded, int episode, long timeSec) {
    requireWritable();
    requireDim(signature, "signature");
    put(signature, 0, cascaded, episode, timeSec);
  }

  private void put(float[] src, int srcOffset, boolean cascaded, int episode, long timeSec) {
    int slot;
    if (size < capacity) {
      if (size == times.length) { // not full yet, so nothing was evicted and head is 0
        int len = Math.min(capacity, 2 * times.length);
        sigs = Arrays.copyOf(sigs, len * DIM);
        times = Arrays.copyOf(times, len);
        episodes = Arrays.copyOf(episodes, len);
        outcomes = Arrays.copyOf(outcomes, len);
      }
      slot = head + size;
      size++;
    } else {
      slot = head; // FIFO: the oldest own entry goes
      head = (head + 1) % capacity;
    }
    System.arraycopy(src, srcOffset, sigs, slot * DIM, DIM);
    times[slot] = timeSec;
    episodes[slot] = episode;
    outcomes[slot] = cascaded;
  }

  /**
   * Adds every own labelled entry of {@code other} (oldest first; its seed and pending entries are not
   * copied), tagged {@code episode}.
   */
  public void addAll(TopologicalMemory other, int episode) {
    requireWritable();
    for (int i = 0; i < other.size; i++) {
      int s = (other.head + i) % other.capacity;
      put(other.sigs, s * DIM, other.outcomes[s], episode, other.times[s]);
    }
  }

  /**
   * The online protocol of one control tick, called with non-decreasing times: first every pending
   * entry stored at τ ≤ {@code timeSec} − {@value #HORIZON_SEC} is labelled with
   * {@code estimatedCascadeFraction ≥ }{@value #CASCADE_FRACTION} and becomes searchable; then, when
   * {@code timeSec} is a multiple of {@value #STRIDE_SEC} and the estimate is still below
   * {@value #CASCADE_FRACTION}, {@code signature} is stored as pending.
   *
   * @param estimatedCascadeFraction the guard's estimate of the cumulative failed fraction now, in [0, 1]
   * @throws IllegalArgumentException if time goes backwards, the signature is malformed or the estimate is
   *     outside [0, 1]
   */
  public void observe(long timeSec, float[] signature, double estimatedCascadeFraction) {
    requireWritable();
    requireDim(signature, "signature");
    if (timeSec < lastTime) {
      throw new IllegalArgumentException("memory time went backwards: " + timeSec + " s after " + lastTime
          + " s (a new episode needs a new memory)");
    }
    if (!(estimatedCascadeFraction >= 0 && estimatedCascadeFraction <= 1)) {
      throw new IllegalArgumentException("estimated cascade fraction must be in [0, 1], got " + estimatedCascadeFraction);
    }
    boolean cascaded = estimatedCascadeFraction >= CASCADE_FRACTION;
    while (pendSize > 0 && pendTime[pendHead] <= timeSec - HORIZON_SEC) {
      put(pendSig, pendHead * DIM, cascaded, CURRENT_EPISODE, pendTime[pendHead]);
      pendHead = (pendHead + 1) % PENDING;
      pendSize--;
    }
    if (timeSec != lastTime && Math.floorMod(timeSec, STRIDE_SEC) == 0 && !cascaded) {
      if (pendSize == PENDING) { // only with times far apart from the stride; keep the newest
        pendHead = (pendHead + 1) % PENDING;
        pendSize--;
      }
      int slot = (pendHead + pendSize) % PENDING;
      System.arraycopy(signature, 0, pendSig, slot * DIM, DIM);
      pendTime[slot] = timeSec;
      pendSize++;
    }
    lastTime = timeSec;
  }

  // ---------------------------------------------------------------------------------------- queries

  /** Running k best: squared sums ascending, ties in scan (insertion) order. */
  private static final class Best {
    final double[] sum;
    final TopologicalMemory[] owner;
    final int[] slot;
    int filled;

    Best(int k) {
      sum = new double[k];
      owner = new TopologicalMemory[k];
      slot = new int[k];
    }

    double limit() {
      return filled < sum.length ? Double.POSITIVE_INFINITY : sum[sum.length - 1];
    }

    void offer(double s, TopologicalMemory m, int sl) {
      int p = filled < sum.length ? filled++ : sum.length - 1;
      while (p > 0 && sum[p - 1] > s) { // strict: an equal, earlier entry stays ahead
        sum[p] = sum[p - 1];
        owner[p] = owner[p - 1];
        slot[p] = slot[p - 1];
        p--;
      }
      sum[p] = s;
      owner[p] = m;
      slot[p] = sl;
    }
  }

  private void scan(float[] q, Best best) {
    if (seed != null) {
      seed.scan(q, best);
    }
    for (int i = 0; i < size; i++) {
      int sl = (head + i) % capacity;
      int o = sl * DIM;
      double limit = best.limit();
      double s = 0;
      int d = 0;
      while (d < DIM) {
        int end = d + GRID;
        for (; d < end; d++) {
          double x = (double) q[d] - sigs[o + d];
          s += x * x;
        }
        if (s >= limit) {
          break;
        }
      }
      if (s < limit) {
        best.offer(s, this, sl);
      }
    }
  }

  private Best search(float[] q, int k) {
    requireDim(q, "query signature");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    Best best = new Best(k);
    scan(q, best);
    return best;
  }

  /**
   * The k labelled entries nearest to {@code query} by {@link #distance}, nearest first (ties: the
   * earlier inserted first; seed entries before own entries); fewer when the memory holds fewer.
   */
  public List<Neighbour> nearest(float[] query, int k) {
    Best b = search(query, k);
    List<Neighbour> out = new ArrayList<>(b.filled);
    for (int i = 0; i < b.filled; i++) {
      TopologicalMemory m = b.owner[i];
      int s = b.slot[i];
      out.add(new Neighbour(m.episodes[s], m.times[s], Math.sqrt(STEP * b.sum[i]), m.outcomes[s]));
    }
    return out;
  }

  /** {@link #risk(float[], int)} with k = {@value #DEFAULT_K}. */
  public double risk(float[] query) {
    return risk(query, DEFAULT_K);
  }

  /**
   * The memory risk (class doc): the distance-weighted share of cascading outcomes among the k nearest
   * labelled entries; 0 for an empty memory.
   */
  public double risk(float[] query, int k) {
    Best b = search(query, k);
    double num = 0;
    double den = 0;
    for (int i = 0; i < b.filled; i++) {
      double w = 1 / (Math.sqrt(STEP * b.sum[i]) + EPS);
      den += w;
      if (b.owner[i].outcomes[b.slot[i]]) {
        num += w;
      }
    }
    return den == 0 ? 0 : num / den;
  }
}

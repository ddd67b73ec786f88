package io.aura.cascade.sim;

import java.util.Arrays;

/**
 * Deterministic min-priority event queue over primitive arrays (binary heap).
 *
 * <p>Events are ordered by {@code (timeNs, priority, seq)}, where {@code seq} is a global insertion
 * counter, so ties resolve identically in every run (spec 1.1). Each event carries two {@code long}
 * payload words, {@code a} and {@code b}; their meaning belongs to the caller. The priority (0..31)
 * and the sequence number are packed into one {@code long} key. Nothing is allocated per event;
 * the arrays grow by doubling. Not thread-safe.
 */
final class EventQueue {
  private static final int PRIORITY_SHIFT = 58;
  private static final long SEQ_MASK = (1L << PRIORITY_SHIFT) - 1;

  private long[] time = new long[1024];
  private long[] key = new long[1024];
  private long[] pa = new long[1024];
  private long[] pb = new long[1024];
  private int size;
  private long seq;

  private long topTime;
  private long topA;
  private long topB;
  private int topPriority;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Number of events ever pushed. */
  long pushed() {
    return seq;
  }

  void push(long timeNs, int priority, long a, long b) {
    if (priority < 0 || priority > 31) {
      throw new IllegalArgumentException("priority must be in [0,31]: " + priority);
    }
    if (size == time.length) {
      int cap = size * 2;
      time = Arrays.copyOf(time, cap);
      key = Arrays.copyOf(key, cap);
      pa = Arrays.copyOf(pa, cap);
      pb = Arrays.copyOf(pb, cap);
    }
    long k = ((long) priority << PRIORITY_SHIFT) | (seq++ & SEQ_MASK);
    int i = size++;
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (less(timeNs, k, time[p], key[p])) {
        time[i] = time[p];
        key[i] = key[p];
        pa[i] = pa[p];
        pb[i] = pb[p];
        i = p;
      } else {
        break;
      }
    }
    time[i] = timeNs;
    key[i] = k;
    pa[i] = a;
    pb[i] = b;
  }

  /** Time of the earliest event; the queue must not be empty. */
  long peekTime() {
    return time[0];
  }

  /**
   * Removes the earliest event; read it with {@link #time()}, {@link #a()}, {@link #b()}, {@link
   * #priority()}.
   */
  void pop() {
    if (size == 0) {
      throw new IllegalStateException("pop on empty event queue");
    }
    topTime = time[0];
    topA = pa[0];
    topB = pb[0];
    topPriority = (int) (key[0] >>> PRIORITY_SHIFT);
    int n = --size;
    if (n == 0) {
      return;
    }
    long t = time[n];
    long k = key[n];
    long a = pa[n];
    long b = pb[n];
    int i = 0;
    int half = n >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      int r = c + 1;
      if (r < n && less(time[r], key[r], time[c], key[c])) {
        c = r;
      }
      if (!less(time[c], key[c], t, k)) {
        break;
      }
      time[i] = time[c];
      key[i] = key[c];
      pa[i] = pa[c];
      pb[i] = pb[c];
      i = c;
    }
    time[i] = t;
    key[i] = k;
    pa[i] = a;
    pb[i] = b;
  }

  long time() {
    return topTime;
  }

  long a() {
    return topA;
  }

  long b() {
    return topB;
  }

  int priority() {
    return topPriority;
  }

  private static boolean less(long t1, long k1, long t2, long k2) {
    return t1 < t2 || (t1 == t2 && k1 < k2);
  }
}

package io.aura.cascade.sim;

import java.util.Arrays;

/**
 * Deterministic min-priority event queue over one primitive array (4-ary heap, interleaved).
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
  /** Words per event: time, key (priority|seq), a, b; interleaved so one event is one 32-byte block. */
  private static final int W = 4;

  private long[] h = new long[W * 1024];
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
    if (W * (size + 1) > h.length) {
      h = Arrays.copyOf(h, h.length * 2);
    }
    long k = ((long) priority << PRIORITY_SHIFT) | (seq++ & SEQ_MASK);
    long[] hh = h;
    int i = size++;
    while (i > 0) {
      int par = (i - 1) >>> 2;
      int po = W * par;
      long pt = hh[po];
      if (timeNs < pt || (timeNs == pt && k < hh[po + 1])) {
        int io = W * i;
        hh[io] = pt;
        hh[io + 1] = hh[po + 1];
        hh[io + 2] = hh[po + 2];
        hh[io + 3] = hh[po + 3];
        i = par;
      } else {
        break;
      }
    }
    int io = W * i;
    hh[io] = timeNs;
    hh[io + 1] = k;
    hh[io + 2] = a;
    hh[io + 3] = b;
  }

  /** Time of the earliest event; the queue must not be empty. */
  long peekTime() {
    return h[0];
  }

  /**
   * Removes the earliest event; read it with {@link #time()}, {@link #a()}, {@link #b()}, {@link
   * #priority()}. A 4-ary heap: fewer levels and children in adjacent cache lines.
   */
  void pop() {
    if (size == 0) {
      throw new IllegalStateException("pop on empty event queue");
    }
    long[] hh = h;
    topTime = hh[0];
    topPriority = (int) (hh[1] >>> PRIORITY_SHIFT);
    topA = hh[2];
    topB = hh[3];
    int n = --size;
    if (n == 0) {
      return;
    }
    int lo = W * n;
    long t = hh[lo];
    long k = hh[lo + 1];
    long a = hh[lo + 2];
    long b = hh[lo + 3];
    int i = 0;
    while (true) {
      int c = 4 * i + 1;
      if (c >= n) {
        break;
      }
      int end = Math.min(c + 4, n);
      int best = c;
      long bt = hh[W * c];
      long bk = hh[W * c + 1];
      for (int j = c + 1; j < end; j++) {
        long jt = hh[W * j];
        long jk = hh[W * j + 1];
        if (jt < bt || (jt == bt && jk < bk)) {
          best = j;
          bt = jt;
          bk = jk;
        }
      }
      if (bt > t || (bt == t && bk > k)) {
        break;
      }
      int io = W * i;
      int bo = W * best;
      hh[io] = bt;
      hh[io + 1] = bk;
      hh[io + 2] = hh[bo + 2];
      hh[io + 3] = hh[bo + 3];
      i = best;
    }
    int io = W * i;
    hh[io] = t;
    hh[io + 1] = k;
    hh[io + 2] = a;
    hh[io + 3] = b;
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
}

package io.aura.cascade.baseline;

/**
 * Time-bucketed rolling counters over a trailing window: bucket index ⌊t / bucket⌋, the window holds
 * the current bucket and the {@code buckets − 1} before it (buckets aligned to multiples of the
 * bucket width from time 0). Several channels share the buckets; storage is one flat
 * {@code long[]}. Stale buckets are reset lazily when their slot is reused.
 */
final class RollingCounts {
  private final long bucketNanos;
  private final int buckets;
  private final int channels;
  private final long[] epoch;
  private final long[] counts;
  private long lastNanos = Long.MIN_VALUE;

  RollingCounts(long bucketNanos, int buckets, int channels) {
    this.bucketNanos = bucketNanos;
    this.buckets = buckets;
    this.channels = channels;
    this.epoch = new long[buckets];
    java.util.Arrays.fill(epoch, Long.MIN_VALUE);
    this.counts = new long[buckets * channels];
  }

  void add(long nowNanos, int channel, long delta) {
    int slot = slot(nowNanos);
    counts[slot * channels + channel] += delta;
  }

  long sum(long nowNanos, int channel) {
    long current = checkTime(nowNanos);
    long s = 0;
    for (int b = 0; b < buckets; b++) {
      if (epoch[b] > current - buckets && epoch[b] <= current) {
        s += counts[b * channels + channel];
      }
    }
    return s;
  }

  void reset() {
    java.util.Arrays.fill(epoch, Long.MIN_VALUE);
    java.util.Arrays.fill(counts, 0L);
  }

  private int slot(long nowNanos) {
    long current = checkTime(nowNanos);
    int slot = (int) Math.floorMod(current, (long) buckets);
    if (epoch[slot] != current) {
      epoch[slot] = current;
      for (int c = 0; c < channels; c++) {
        counts[slot * channels + c] = 0;
      }
    }
    return slot;
  }

  private long checkTime(long nowNanos) {
    if (nowNanos < lastNanos) {
      throw new BaselineInputException(
          "nowNanos = " + nowNanos + " is before the previous time " + lastNanos);
    }
    lastNanos = nowNanos;
    return Math.floorDiv(nowNanos, bucketNanos);
  }
}

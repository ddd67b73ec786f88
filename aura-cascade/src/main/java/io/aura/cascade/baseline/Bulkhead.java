package io.aura.cascade.baseline;

/**
 * A thread-pool bulkhead without queue, as a Hystrix thread pool with coreSize threads and
 * maxQueueSize −1 (a {@code SynchronousQueue}): a call is admitted iff fewer than
 * {@code maxConcurrent} calls are in flight; otherwise it is rejected at once (a Hystrix
 * thread-pool rejection, which counts as an error in the breaker's health counts).
 */
public final class Bulkhead {
  private final int maxConcurrent;
  private int inFlight;

  /**
   * Creates the bulkhead.
   *
   * @param maxConcurrent threads, &gt; 0 ({@link HystrixConfig#threadPoolCoreSize()} for B1-HYX)
   */
  public Bulkhead(int maxConcurrent) {
    this.maxConcurrent = BaselineInputException.positive(maxConcurrent, "maxConcurrent");
  }

  /**
   * Admits a call if a thread is free.
   *
   * @return true if admitted (the caller must later call {@link #release()})
   */
  public boolean tryAcquire() {
    if (inFlight >= maxConcurrent) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Frees the thread of a finished call. */
  public void release() {
    if (inFlight == 0) {
      throw new IllegalStateException("release() without a matching tryAcquire()");
    }
    inFlight--;
  }

  /**
   * Calls in flight.
   *
   * @return count
   */
  public int inFlight() {
    return inFlight;
  }
}

package io.aura.cascade.metrics;

/**
 * Invalid input to a CPB metric: empty or mismatched arrays, values outside their domain, NaN.
 * The message names the offending argument and value.
 */
public final class MetricInputException extends IllegalArgumentException {
  /**
   * Creates the exception.
   *
   * @param message what was wrong, naming the bad value
   */
  public MetricInputException(String message) {
    super(message);
  }
}

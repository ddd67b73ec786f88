package io.aura.cascade.baseline;

/** Invalid baseline configuration or call argument; the message names the bad value. */
public final class BaselineInputException extends IllegalArgumentException {
  /**
   * Creates the exception.
   *
   * @param message what was wrong, naming the bad value
   */
  public BaselineInputException(String message) {
    super(message);
  }

  static long positive(long v, String name) {
    if (v <= 0) {
      throw new BaselineInputException(name + " = " + v + " must be positive");
    }
    return v;
  }

  static long nonNegative(long v, String name) {
    if (v < 0) {
      throw new BaselineInputException(name + " = " + v + " must be >= 0");
    }
    return v;
  }

  static int positive(int v, String name) {
    if (v <= 0) {
      throw new BaselineInputException(name + " = " + v + " must be positive");
    }
    return v;
  }

  static double percent(double v, String name) {
    if (!(v > 0.0 && v <= 100.0)) {
      throw new BaselineInputException(name + " = " + v + " must be in (0, 100]");
    }
    return v;
  }
}

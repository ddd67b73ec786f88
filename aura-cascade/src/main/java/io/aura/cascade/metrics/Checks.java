package io.aura.cascade.metrics;

/** Argument validation shared by the metrics; every failure names the bad value. */
final class Checks {
  private Checks() {}

  static void nonEmpty(double[] a, String name) {
    if (a == null) {
      throw new MetricInputException(name + " must not be null");
    }
    if (a.length == 0) {
      throw new MetricInputException(name + " must not be empty");
    }
  }

  static void finite(double[] a, String name) {
    nonEmpty(a, name);
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new MetricInputException(name + "[" + i + "] = " + a[i] + " is not finite");
      }
    }
  }

  static void inUnit(double[] a, String name) {
    nonEmpty(a, name);
    for (int i = 0; i < a.length; i++) {
      if (!(a[i] >= 0.0 && a[i] <= 1.0)) {
        throw new MetricInputException(name + "[" + i + "] = " + a[i] + " is outside [0, 1]");
      }
    }
  }

  static void sameLength(int n1, String name1, int n2, String name2) {
    if (n1 != n2) {
      throw new MetricInputException(
          name1 + ".length = " + n1 + " differs from " + name2 + ".length = " + n2);
    }
  }

  static void unitValue(double v, String name) {
    if (!(v >= 0.0 && v <= 1.0)) {
      throw new MetricInputException(name + " = " + v + " is outside [0, 1]");
    }
  }

  static void positive(double v, String name) {
    if (!(v > 0.0) || Double.isInfinite(v)) {
      throw new MetricInputException(name + " = " + v + " must be positive and finite");
    }
  }

  static void positive(long v, String name) {
    if (v <= 0) {
      throw new MetricInputException(name + " = " + v + " must be positive");
    }
  }

  static void replicates(int replicates) {
    if (replicates < 1) {
      throw new MetricInputException("replicates = " + replicates + " must be >= 1");
    }
  }

  static void confidence(double level, String name) {
    if (!(level > 0.0 && level < 1.0)) {
      throw new MetricInputException(name + " = " + level + " must be in (0, 1)");
    }
  }
}

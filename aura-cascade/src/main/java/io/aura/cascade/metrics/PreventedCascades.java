package io.aura.cascade.metrics;

import java.util.OptionalDouble;

/**
 * Prevented-cascade ratio and harm rate (CPB spec 6.3).
 *
 * <p>PCR_X = 1 − #{e : S_SUT,e &gt; X} / #{e : S_B,e &gt; X} over paired episodes (strict
 * inequality, as in the spec). A 10x reduction in cascade frequency means PCR ≥ 0.9. PCR is
 * undefined when the baseline had no cascade above X; it is then reported as an empty
 * {@link OptionalDouble}, never NaN. PCR can be negative (the SUT cascaded more often).
 *
 * <p>Harm rate = #{e : S_SUT,e &gt; S_B0,e + margin} / n with margin 0.05 in the spec.
 */
public final class PreventedCascades {
  /** The harm margin of spec 6.3. */
  public static final double DEFAULT_HARM_MARGIN = 0.05;

  private PreventedCascades() {}

  /**
   * Counts behind a PCR value.
   *
   * @param threshold X
   * @param sutCascades #{e : S_SUT,e &gt; X}
   * @param baselineCascades #{e : S_B,e &gt; X}
   * @param episodes n
   */
  public record Pcr(double threshold, int sutCascades, int baselineCascades, int episodes) {
    /**
     * The ratio.
     *
     * @return 1 − sutCascades / baselineCascades, or empty if baselineCascades = 0
     */
    public OptionalDouble value() {
      if (baselineCascades == 0) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(1.0 - (double) sutCascades / baselineCascades);
    }
  }

  /**
   * PCR_X.
   *
   * @param baselineSizes S_B,e, in [0, 1]
   * @param sutSizes S_SUT,e in the same episode order, in [0, 1]
   * @param threshold X in [0, 1] (spec: 0.05, 0.10 primary, 0.25)
   * @return the counts and the ratio
   */
  public static Pcr pcr(double[] baselineSizes, double[] sutSizes, double threshold) {
    Checks.inUnit(baselineSizes, "baselineSizes");
    Checks.inUnit(sutSizes, "sutSizes");
    Checks.sameLength(baselineSizes.length, "baselineSizes", sutSizes.length, "sutSizes");
    Checks.unitValue(threshold, "threshold");
    int b = 0;
    int s = 0;
    for (int e = 0; e < baselineSizes.length; e++) {
      if (baselineSizes[e] > threshold) {
        b++;
      }
      if (sutSizes[e] > threshold) {
        s++;
      }
    }
    return new Pcr(threshold, s, b, baselineSizes.length);
  }

  /**
   * Harm rate with the spec's margin 0.05.
   *
   * @param b0Sizes S_B0,e, in [0, 1]
   * @param sutSizes S_SUT,e in the same episode order, in [0, 1]
   * @return #{e : S_SUT,e &gt; S_B0,e + 0.05} / n
   */
  public static double harmRate(double[] b0Sizes, double[] sutSizes) {
    return harmRate(b0Sizes, sutSizes, DEFAULT_HARM_MARGIN);
  }

  /**
   * Harm rate #{e : S_SUT,e &gt; S_B0,e + margin} / n.
   *
   * @param b0Sizes S_B0,e, in [0, 1]
   * @param sutSizes S_SUT,e in the same episode order, in [0, 1]
   * @param margin margin in [0, 1]
   * @return the fraction of episodes in which the SUT made the cascade clearly larger
   */
  public static double harmRate(double[] b0Sizes, double[] sutSizes, double margin) {
    Checks.inUnit(b0Sizes, "b0Sizes");
    Checks.inUnit(sutSizes, "sutSizes");
    Checks.sameLength(b0Sizes.length, "b0Sizes", sutSizes.length, "sutSizes");
    Checks.unitValue(margin, "margin");
    int harmed = 0;
    for (int e = 0; e < b0Sizes.length; e++) {
      // S is a fraction of agents: "exactly margin worse" (0.17 against 0.12) must not count, and
      // 0.12 + 0.05 is 0.16999999999999998 in doubles
      if (sutSizes[e] - b0Sizes[e] > margin + 1e-12) {
        harmed++;
      }
    }
    return (double) harmed / b0Sizes.length;
  }
}

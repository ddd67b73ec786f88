package io.aura.cascade.sim;

/**
 * Single-server retry-storm fluid model of spec D4 (closed-form check of metastability).
 *
 * <p>An M/M/1 server with service rate μ receives first attempts at load ρ0 (in units of μ).
 * Response time is Exp(μ(1−ρ)), so an attempt times out with probability
 * {@code p(ρ) = e^{−τμ(1−ρ)}} for ρ &lt; 1 and {@code p = 1} for ρ ≥ 1. With at most A attempts the
 * offered load is {@code F(ρ) = ρ0 (1 − p^A)/(1 − p)} (→ A ρ0 as p → 1). Equilibria are fixed
 * points {@code ρ = F(ρ)}. The saturated state (ρ ≥ 1) sustains itself iff {@code A ρ0 ≥ 1}; the
 * healthy fixed point exists only below a knee. The fluid dynamics relax
 * {@code ρ ← ρ + η (F(ρ) − ρ)} (explicit Euler on dρ/dt = F(ρ) − ρ with step η).
 */
final class RetryStormFluid {
  private final int attempts;
  private final double tauMu;

  RetryStormFluid(int attempts, double tauMu) {
    if (attempts < 1 || !(tauMu > 0)) {
      throw new IllegalArgumentException("need attempts >= 1 and tauMu > 0: " + attempts + ", " + tauMu);
    }
    this.attempts = attempts;
    this.tauMu = tauMu;
  }

  /** Per-attempt timeout probability at offered load ρ. */
  double timeoutProbability(double rho) {
    return rho >= 1 ? 1.0 : Math.exp(-tauMu * (1 - rho));
  }

  /** Offered load F(ρ) for first-attempt load ρ0. */
  double offered(double rho0, double rho) {
    double pr = timeoutProbability(rho);
    if (pr >= 1) {
      return rho0 * attempts;
    }
    return rho0 * (1 - Math.pow(pr, attempts)) / (1 - pr);
  }

  /** Relaxes the fluid state for {@code steps} Euler steps of size {@code eta}. */
  double relax(double rho0, double rho, int steps, double eta) {
    double x = rho;
    for (int s = 0; s < steps; s++) {
      x += eta * (offered(rho0, x) - x);
    }
    return x;
  }

  /** Whether a healthy fixed point (ρ &lt; 1 with F(ρ) ≤ ρ somewhere) exists, by a fine grid scan. */
  boolean healthyFixedPointExists(double rho0) {
    for (int k = 0; k < 100_000; k++) {
      double rho = k / 100_000.0;
      if (offered(rho0, rho) <= rho) {
        return true;
      }
    }
    return false;
  }

  /** The knee: the largest ρ0 with a healthy fixed point, by bisection. */
  double knee() {
    double lo = 0;
    double hi = 1;
    for (int it = 0; it < 50; it++) {
      double mid = 0.5 * (lo + hi);
      if (healthyFixedPointExists(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

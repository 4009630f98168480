package io.volumekit.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a {@link FaultInjectingCsiDriver} misbehaves, per call of a volume operation.
 *
 * <p>Each rate is a probability in {@code [0, 1]}, drawn independently per call (the draws are
 * seeded, see {@link FaultInjectingCsiDriver}). The faults are the ones real CSI drivers show and
 * that Kubernetes' sidecars must survive:
 *
 * @param transientErrorRate the call fails before the driver did anything, with a code the spec
 *     calls "may be in progress" ({@code UNAVAILABLE}, {@code ABORTED}, {@code CANCELLED})
 * @param finalErrorRate the call fails before the driver did anything, with a final code ({@code
 *     INTERNAL}, {@code UNKNOWN}); never injected while the driver holds unreported work for the
 *     same volume, so a driver never lies about work it did (see docs/simulation.md)
 * @param timeoutAfterWorkRate the driver did the work, then the caller saw {@code
 *     DEADLINE_EXCEEDED} (the answer was lost)
 * @param timeoutBeforeWorkRate the caller saw {@code DEADLINE_EXCEEDED} before the driver did the
 *     work; the work then either stays in progress in the driver (it completes before the driver
 *     serves the next call for the same volume, or at a restart that keeps in-flight work) or is
 *     lost, with equal probability
 * @param slowCallRate the call takes long: the manual clock moves forward by up to {@code
 *     slowCallMax} while it runs (timers of the engine fall due meanwhile)
 * @param slowCallMax the longest slow call
 */
public record FaultPlan(
    double transientErrorRate,
    double finalErrorRate,
    double timeoutAfterWorkRate,
    double timeoutBeforeWorkRate,
    double slowCallRate,
    Duration slowCallMax) {

  public FaultPlan {
    check(transientErrorRate, "transientErrorRate");
    check(finalErrorRate, "finalErrorRate");
    check(timeoutAfterWorkRate, "timeoutAfterWorkRate");
    check(timeoutBeforeWorkRate, "timeoutBeforeWorkRate");
    check(slowCallRate, "slowCallRate");
    Objects.requireNonNull(slowCallMax, "slowCallMax");
    if (slowCallMax.isNegative()) {
      throw new IllegalArgumentException("slowCallMax: must not be negative, got " + slowCallMax);
    }
    double sum = transientErrorRate + finalErrorRate + timeoutAfterWorkRate + timeoutBeforeWorkRate;
    if (sum > 1.0) {
      throw new IllegalArgumentException("the error rates add up to " + sum + ", more than 1");
    }
  }

  private static void check(double rate, String field) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException(field + ": must be within [0, 1], got " + rate);
    }
  }

  /** No faults at all: the driver behaves. */
  public static FaultPlan none() {
    return new FaultPlan(0, 0, 0, 0, 0, Duration.ZERO);
  }

  /**
   * The simulator's default mix: about one call in four misbehaves (8% transient errors, 4% final
   * errors, 6% timeouts after the work, 6% before it), and one in ten is slow (up to 30 s).
   */
  public static FaultPlan defaults() {
    return new FaultPlan(0.08, 0.04, 0.06, 0.06, 0.10, Duration.ofSeconds(30));
  }

  /** Total probability that a call fails. */
  public double errorRate() {
    return transientErrorRate + finalErrorRate + timeoutAfterWorkRate + timeoutBeforeWorkRate;
  }

  /** This plan with every rate multiplied by {@code factor} (capped so the sum stays at most 1). */
  public FaultPlan scaled(double factor) {
    double f = Math.min(factor, errorRate() == 0 ? factor : 1.0 / errorRate());
    return new FaultPlan(transientErrorRate * f, finalErrorRate * f, timeoutAfterWorkRate * f,
        timeoutBeforeWorkRate * f, Math.min(1.0, slowCallRate * factor), slowCallMax);
  }
}

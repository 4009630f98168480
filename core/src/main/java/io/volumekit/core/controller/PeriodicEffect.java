package io.volumekit.core.controller;

import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.Operation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One periodic effect kept going under one id, as a controller's periodic work (the kubelet's
 * republish, token refresh and volume statistics, the external-health-monitor's checks) is: not
 * asked yet, it is {@linkplain Decision.Builder#effectAfter scheduled} a period ahead; due, it
 * starts; in flight, it is left alone; finished, it is forgotten and scheduled again. A failure
 * is either retried with the runtime's backoff or left for the next period.
 */
public final class PeriodicEffect {

  /** What to do with a failed run. */
  public enum OnFailure {
    /** Retry it once its backoff is over (the caller may report the failure first). */
    RETRY,
    /** Forget it and try again next period (the failure is only observed). */
    NEXT_PERIOD
  }

  private PeriodicEffect() {}

  /**
   * Adds to {@code b} the next step for the effect whose operation (under {@code effect.id()}) is
   * {@code op}.
   *
   * @return the finished run (succeeded, or failed), for the caller to read its result or report
   *     its failure in the same decision; empty when none finished
   */
  public static Optional<Operation> step(Optional<Operation> op, Effect effect, Duration period, OnFailure onFailure,
      Decision.Builder b) {
    Objects.requireNonNull(effect, "effect");
    if (op.isEmpty()) {
      b.effectAfter(effect, period);
      return Optional.empty();
    }
    Operation o = op.get();
    if (o.inFlight()) {
      return Optional.empty();
    }
    if (o.scheduled()) {
      b.effect(effect); // due: it starts (the runtime waits if it is not)
      return Optional.empty();
    }
    if (o.failed() && onFailure == OnFailure.RETRY) {
      b.effect(effect); // once the backoff is over
    } else {
      b.forget(effect.id()).effectAfter(effect, period);
    }
    return op;
  }
}

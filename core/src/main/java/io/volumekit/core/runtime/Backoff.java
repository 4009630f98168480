package io.volumekit.core.runtime;

import java.time.Duration;

/**
 * Exponential backoff for failed effects: 0.5 s, doubling per failure, capped at 2 min 2 s.
 *
 * <p>The figures of Kubernetes' {@code exponentialbackoff} ({@code initialDurationBeforeRetry =
 * 500ms}, {@code maxDurationBeforeRetry = 2m2s}) used by the volume controllers and the kubelet.
 * Errors that cannot succeed unchanged (INVALID_ARGUMENT and the like) wait the cap at once, as
 * the external-provisioner's slow-retry set does.
 */
final class Backoff {

  /** The first delay. */
  public static final Duration INITIAL = Duration.ofMillis(500);

  /** The longest delay. */
  public static final Duration MAX = Duration.ofSeconds(122);

  private Backoff() {}

  /** The delay after the given number of consecutive failures (1 = first failure). */
  public static Duration delay(int failures) {
    if (failures <= 1) {
      return INITIAL;
    }
    if (failures > 20) {
      return MAX;
    }
    Duration d = INITIAL.multipliedBy(1L << (failures - 1));
    return d.compareTo(MAX) > 0 ? MAX : d;
  }

  /** The delay for a failure, given whether repeating the same request can succeed. */
  public static Duration delay(int failures, boolean retryable) {
    return retryable ? delay(failures) : MAX;
  }
}

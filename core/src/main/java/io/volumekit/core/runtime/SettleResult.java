package io.volumekit.core.runtime;

import java.time.Duration;

/**
 * What {@code settle()} reached.
 *
 * @param quiescent true when nothing is left to do: no queued work, no effect in flight, no retry
 *     or requeue pending (scheduled periodic work, such as a republish, may remain)
 * @param steps reconciles performed
 * @param pendingTimers retries or requeues still scheduled beyond the horizon
 * @param elapsed clock time that passed (virtual time with a {@link ManualClock})
 */
public record SettleResult(boolean quiescent, long steps, int pendingTimers, Duration elapsed) {}

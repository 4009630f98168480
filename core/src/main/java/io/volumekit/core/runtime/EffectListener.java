package io.volumekit.core.runtime;

import io.volumekit.core.effect.Effect;

/**
 * Hears every effect (CSI call, node-local write) the {@link Runtime} starts and every outcome it
 * records, typed: the simulator, tests and tools use it instead of parsing trace lines. It mirrors
 * what Kubernetes' operation executors report through their metrics and logs (operation started,
 * completed with or without error).
 *
 * <p>Calls are synchronous, on the thread that records them (the one calling {@link
 * Runtime#submit}, {@link Runtime#settle()} or {@link Runtime#runUntilIdle()}), never on the
 * executor's thread that performs the effect. The runtime's own monitor is held during the call,
 * as for {@linkplain Runtime#watch change watchers} and the trace, and nothing else: a listener may
 * read the runtime (the monitor is reentrant) but must not wait for another thread that uses it.
 *
 * <p>Exceptions from a listener are not swallowed: the runtime logs them at debug level and
 * rethrows them out of the call that recorded the start or outcome. The runtime stays consistent:
 * if {@link #started} throws, the effect is not performed and is recorded as failed (an
 * unexpected error, {@code UNAVAILABLE}: retried with backoff; {@link #finished} hears that failure); if {@link #finished}
 * throws, the outcome has already been recorded.
 */
public interface EffectListener {

  /** The effect is about to be handed to the executor; {@code attempt} counts from 1. */
  void started(Effect effect, int attempt);

  /**
   * The effect's call is over and its outcome recorded (its operation is no longer in flight; if
   * the owner forgot the operation meanwhile, the outcome is dropped but still reported here).
   */
  void finished(Effect effect, EffectOutcome outcome);
}

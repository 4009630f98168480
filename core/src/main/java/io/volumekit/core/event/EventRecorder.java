package io.volumekit.core.event;

import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.store.Store;
import java.time.Instant;

/**
 * Turns the Kubernetes Events controllers decide into stored objects, aggregating repeats.
 *
 * <p>Kubernetes' {@code record.EventRecorder} plus the event correlator: an event equal to an
 * earlier one (same involved object, type, reason and message) increments that one's {@code
 * count} and {@code lastTimestamp} instead of creating another.
 */
public interface EventRecorder {

  /** Records the event through the store at the given time. */
  void record(Store store, EventRecord event, Instant now);

  /** A recorder that drops everything (for benchmarks that measure the engine alone). */
  static EventRecorder discarding() {
    return (store, event, now) -> {};
  }
}

package io.volumekit.core.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told: the deterministic mode's time source.
 *
 * <p>Like grpc-java's {@code FakeClock} or Guava's {@code FakeTicker}: the runtime's {@code
 * settle()} advances it to the next due retry, so a run with retries and backoff takes no real
 * time and replays exactly. Thread-safe.
 */
public final class ManualClock extends Clock {

  /** The default start: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private volatile Instant now;

  /** A clock at {@link #DEFAULT_START}. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /** A clock at the given instant. */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves time forward by the (non-negative) duration. */
  public synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time does not go backwards: " + duration);
    }
    now = now.plus(duration);
  }

  /** Moves time forward to the instant; an instant in the past is ignored. */
  public synchronized void advanceTo(Instant instant) {
    if (instant.isAfter(now)) {
      now = instant;
    }
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(ZoneOffset.UTC)) {
      return this;
    }
    throw new UnsupportedOperationException("a ManualClock is always UTC");
  }

  @Override
  public String toString() {
    return "ManualClock[" + now + "]";
  }
}

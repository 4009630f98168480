package io.volumekit.core.runtime;

import io.volumekit.core.event.Event;
import io.volumekit.core.key.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The runtime's trace: a line per input event, committed write, recorded Kubernetes Event, effect
 * started or scheduled and outcome, each prefixed with the time since the runtime started
 * ({@code +1500ms}). With a manual clock and seeded ids the same inputs give the same lines, which
 * is what the determinism and replay tests compare. Lines are built only when a trace is kept:
 * most engines run without one.
 */
final class RuntimeTrace {

  private final Optional<Consumer<String>> sink;
  private final boolean on;
  private final Clock clock;
  private final Instant start;

  RuntimeTrace(Optional<Consumer<String>> sink, Clock clock) {
    this.sink = sink;
    this.on = sink.isPresent();
    this.clock = clock;
    this.start = clock.instant();
  }

  /** Whether lines are kept: callers test it before they build a lambda. */
  boolean on() {
    return on;
  }

  /** Adds the line, built only when a trace is kept. */
  void line(Supplier<String> line) {
    sink.ifPresent(t -> t.accept("+" + offset(clock.instant()) + " " + line.get()));
  }

  /** The time of {@code t} since the runtime started, as the trace writes it. */
  String offset(Instant t) {
    return Duration.between(start, t).toMillis() + "ms";
  }

  /** Adds the line of an input event or an effect's outcome. */
  void event(Event e) {
    if (!on) {
      return;
    }
    String line = e.accept(new Event.Visitor<String>() {
      @Override
      public String applied(Event.Applied a) {
        return "apply " + ObjectKey.of(a.object());
      }

      @Override
      public String deleteRequested(Event.DeleteRequested d) {
        return "delete " + d.key();
      }

      @Override
      public String effectSucceeded(Event.EffectSucceeded s) {
        return "effect done " + s.id();
      }

      @Override
      public String effectFailed(Event.EffectFailed f) {
        return "effect failed " + f.id() + " " + f.failure().code() + ": " + f.failure().message();
      }

      @Override
      public String timePassed(Event.TimePassed t) {
        return "time " + offset(t.now());
      }
    });
    line(() -> line);
  }
}

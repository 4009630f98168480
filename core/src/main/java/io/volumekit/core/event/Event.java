package io.volumekit.core.event;

import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * An input to the engine: something that happened outside the controllers.
 *
 * <p>The runtime applies each event to the state (through the store), then runs the controllers to
 * a fixpoint. Effect outcomes arrive as events too, which is what makes a run replayable: the
 * same events in the same order give the same states.
 *
 * <p>Whoever handles events does so through {@link #accept(Visitor)}: a new kind of event needs a
 * new {@link Visitor} method, so every handler fails to compile until it handles it.
 */
public sealed interface Event {

  /** Calls the visitor's method for this kind of event. */
  <R> R accept(Visitor<R> visitor);

  /** One method per kind of event. */
  interface Visitor<R> {
    R applied(Applied applied);

    R deleteRequested(DeleteRequested deleteRequested);

    R effectSucceeded(EffectSucceeded succeeded);

    R effectFailed(EffectFailed failed);

    R timePassed(TimePassed timePassed);
  }

  /** The outcome of an effect: it succeeded or it failed. */
  sealed interface Outcome extends Event {

    /** The id of the effect. */
    EffectId id();

    /** {@code succeeded} applied to a success, {@code failed} to a failure. */
    <R> R fold(Function<EffectSucceeded, R> succeeded, Function<EffectFailed, R> failed);
  }

  /** A user created or replaced an object (kubectl apply). */
  record Applied(ApiObject object) implements Event {
    public Applied {
      Objects.requireNonNull(object, "object");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.applied(this);
    }
  }

  /** A user asked to delete an object (kubectl delete). */
  record DeleteRequested(ObjectKey key) implements Event {
    public DeleteRequested {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deleteRequested(this);
    }
  }

  /** An effect finished successfully, with its response (empty for calls without one). */
  record EffectSucceeded(EffectId id, Optional<Object> result) implements Outcome {
    public EffectSucceeded {
      Objects.requireNonNull(id, "id");
      result = result == null ? Optional.empty() : result;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.effectSucceeded(this);
    }

    @Override
    public <R> R fold(Function<EffectSucceeded, R> succeeded, Function<EffectFailed, R> failed) {
      return succeeded.apply(this);
    }
  }

  /** An effect failed. */
  record EffectFailed(EffectId id, EffectFailure failure) implements Outcome {
    public EffectFailed {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(failure, "failure");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.effectFailed(this);
    }

    @Override
    public <R> R fold(Function<EffectSucceeded, R> succeeded, Function<EffectFailed, R> failed) {
      return failed.apply(this);
    }
  }

  /** The clock reached an instant: due retries and requeues run. */
  record TimePassed(Instant now) implements Event {
    public TimePassed {
      Objects.requireNonNull(now, "now");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.timePassed(this);
    }
  }
}

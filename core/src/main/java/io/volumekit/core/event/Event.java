package io.volumekit.core.event;

import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An input to the engine: something that happened outside the controllers.
 *
 * <p>The runtime applies each event to the state (through the store), then runs the controllers to
 * a fixpoint. Effect outcomes arrive as events too, which is what makes a run replayable: the
 * same events in the same order give the same states.
 */
public sealed interface Event {

  /** A user created or replaced an object (kubectl apply). */
  record Applied(ApiObject object) implements Event {
    public Applied {
      Objects.requireNonNull(object, "object");
    }
  }

  /** A user asked to delete an object (kubectl delete). */
  record DeleteRequested(ObjectKey key) implements Event {
    public DeleteRequested {
      Objects.requireNonNull(key, "key");
    }
  }

  /** An effect finished successfully, with its response (empty for calls without one). */
  record EffectSucceeded(EffectId id, Optional<Object> result) implements Event {
    public EffectSucceeded {
      Objects.requireNonNull(id, "id");
      result = result == null ? Optional.empty() : result;
    }
  }

  /** An effect failed. */
  record EffectFailed(EffectId id, EffectFailure failure) implements Event {
    public EffectFailed {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(failure, "failure");
    }
  }

  /** The clock reached an instant: due retries and requeues run. */
  record TimePassed(Instant now) implements Event {
    public TimePassed {
      Objects.requireNonNull(now, "now");
    }
  }
}

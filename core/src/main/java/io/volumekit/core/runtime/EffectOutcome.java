package io.volumekit.core.runtime;

import io.volumekit.core.effect.EffectFailure;
import java.util.Objects;
import java.util.Optional;

/**
 * How an effect ended, as the {@link Runtime} records it: succeeded with the driver's response (if
 * the call has one), or failed with a gRPC-coded {@link EffectFailure} the engine retries or not by
 * code, like Kubernetes' CSI sidecars.
 */
public sealed interface EffectOutcome {

  /** The effect succeeded; {@code result} is the call's response, if it has one. */
  record Succeeded(Optional<Object> result) implements EffectOutcome {
    public Succeeded {
      result = result == null ? Optional.empty() : result;
    }
  }

  /** The effect failed. */
  record Failed(EffectFailure failure) implements EffectOutcome {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }
  }
}

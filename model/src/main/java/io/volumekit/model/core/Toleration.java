package io.volumekit.model.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.soabase.recordbuilder.core.RecordBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import io.volumekit.model.meta.*;
import io.volumekit.model.quantity.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod toleration ({@code core/v1 Toleration}).
 *
 * <p>{@link #tolerates(Taint)} follows {@code Toleration.ToleratesTaint}: effects must match unless the toleration's effect is empty;
 * an empty key with {@code Exists} tolerates everything; {@code Exists} ignores the value; {@code Equal} (the default) compares values.
 */
@RecordBuilder
public record Toleration(
    Optional<String> key,
    Optional<String> operator,
    Optional<String> value,
    Optional<String> effect,
    Optional<Long> tolerationSeconds) implements TolerationBuilder.With {

  public Toleration {
    key = Normalize.opt(key);
    operator = Normalize.opt(operator);
    value = Normalize.opt(value);
    effect = Normalize.opt(effect);
    tolerationSeconds = Normalize.opt(tolerationSeconds);
  }

  public static final String EQUAL = "Equal";
  public static final String EXISTS = "Exists";

  /** Whether this toleration tolerates the taint. */
  public boolean tolerates(Taint taint) {
    if (effect.isPresent() && !effect.get().isEmpty() && !effect.get().equals(taint.effect())) {
      return false;
    }
    String k = key.orElse("");
    if (!k.isEmpty() && !k.equals(taint.key())) {
      return false;
    }
    String op = operator.orElse("");
    if (op.equals(EXISTS)) {
      return true;
    }
    if (op.isEmpty() || op.equals(EQUAL)) {
      return value.orElse("").equals(taint.value().orElse(""));
    }
    return false;
  }

  /** Whether some toleration in the list tolerates the taint. */
  public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) {
      if (t.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }
}

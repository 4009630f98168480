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
 * A node taint ({@code core/v1 Taint}). Effects {@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute}.
 */
@RecordBuilder
public record Taint(
    String key,
    Optional<String> value,
    String effect,
    Optional<Instant> timeAdded) implements TaintBuilder.With {

  public Taint {
    key = Normalize.str(key);
    value = Normalize.opt(value);
    effect = Normalize.str(effect);
    timeAdded = Normalize.opt(timeAdded);
  }

  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
  public static final String NO_EXECUTE = "NoExecute";
  /** The effects Kubernetes accepts. */
  public static final List<String> EFFECTS = List.of(NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE);

  /** A taint with a key, value and effect. */
  public static Taint of(String key, String value, String effect) {
    return new Taint(key, Optional.of(value), effect, Optional.empty());
  }
}

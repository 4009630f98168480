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
 * The observed state of a volume ({@code core/v1 PersistentVolumeStatus}).
 */
@RecordBuilder
public record PersistentVolumeStatus(
    Optional<String> phase,
    Optional<String> message,
    Optional<String> reason,
    Optional<Instant> lastPhaseTransitionTime) implements PersistentVolumeStatusBuilder.With {

  public PersistentVolumeStatus {
    phase = Normalize.opt(phase);
    message = Normalize.opt(message);
    reason = Normalize.opt(reason);
    lastPhaseTransitionTime = Normalize.opt(lastPhaseTransitionTime);
  }

  public static final String PENDING = "Pending";
  public static final String AVAILABLE = "Available";
  public static final String BOUND = "Bound";
  public static final String RELEASED = "Released";
  public static final String FAILED = "Failed";
}

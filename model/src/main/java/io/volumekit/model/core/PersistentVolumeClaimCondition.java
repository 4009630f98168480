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
 * A claim condition ({@code core/v1 PersistentVolumeClaimCondition}), e.g. {@code Resizing},
 * {@code FileSystemResizePending}, {@code ModifyingVolume}.
 */
@RecordBuilder
public record PersistentVolumeClaimCondition(
    String type,
    String status,
    Optional<Instant> lastProbeTime,
    Optional<Instant> lastTransitionTime,
    Optional<String> reason,
    Optional<String> message) implements PersistentVolumeClaimConditionBuilder.With {

  public PersistentVolumeClaimCondition {
    type = Normalize.str(type);
    status = Normalize.str(status);
    lastProbeTime = Normalize.opt(lastProbeTime);
    lastTransitionTime = Normalize.opt(lastTransitionTime);
    reason = Normalize.opt(reason);
    message = Normalize.opt(message);
  }
}

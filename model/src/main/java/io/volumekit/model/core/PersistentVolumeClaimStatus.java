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
 * The observed state of a claim ({@code core/v1 PersistentVolumeClaimStatus}); phases Pending, Bound, Lost.
 */
@RecordBuilder
public record PersistentVolumeClaimStatus(
    Optional<String> phase,
    ImmutableList<String> accessModes,
    ImmutableMap<String, Quantity> capacity,
    ImmutableList<PersistentVolumeClaimCondition> conditions,
    ImmutableMap<String, Quantity> allocatedResources,
    ImmutableMap<String, String> allocatedResourceStatuses,
    Optional<String> currentVolumeAttributesClassName,
    Optional<ModifyVolumeStatus> modifyVolumeStatus) implements PersistentVolumeClaimStatusBuilder.With {

  public PersistentVolumeClaimStatus {
    phase = Normalize.opt(phase);
    accessModes = Normalize.list(accessModes);
    capacity = Normalize.map(capacity);
    conditions = Normalize.list(conditions);
    allocatedResources = Normalize.map(allocatedResources);
    allocatedResourceStatuses = Normalize.map(allocatedResourceStatuses);
    currentVolumeAttributesClassName = Normalize.opt(currentVolumeAttributesClassName);
    modifyVolumeStatus = Normalize.opt(modifyVolumeStatus);
  }

  public static final String PENDING = "Pending";
  public static final String BOUND = "Bound";
  public static final String LOST = "Lost";
}

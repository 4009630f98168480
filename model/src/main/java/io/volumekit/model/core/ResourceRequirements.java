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
 * Resource limits and requests ({@code core/v1 ResourceRequirements} / {@code VolumeResourceRequirements}).
 *
 * <p>Used by containers and by a PVC's {@code spec.resources}; keys are resource names such as {@code storage}.
 */
@RecordBuilder
public record ResourceRequirements(
    ImmutableMap<String, Quantity> limits,
    ImmutableMap<String, Quantity> requests) implements ResourceRequirementsBuilder.With {

  public ResourceRequirements {
    limits = Normalize.map(limits);
    requests = Normalize.map(requests);
  }

  /** The {@code storage} request, if set. */
  public Optional<Quantity> storageRequest() {
    return Optional.ofNullable(requests.get("storage"));
  }
}

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
 * What a claim asks for ({@code core/v1 PersistentVolumeClaimSpec}).
 *
 * <p>{@code storageClassName}: absent means "use the default class", {@code ""} means "no class" (both kept apart and written
 * as read). Access modes and volume modes are strings; see {@link AccessModes} and {@link VolumeModes}.
 */
@RecordBuilder
public record PersistentVolumeClaimSpec(
    ImmutableList<String> accessModes,
    Optional<LabelSelector> selector,
    ResourceRequirements resources,
    Optional<String> volumeName,
    Optional<String> storageClassName,
    Optional<String> volumeMode,
    Optional<TypedLocalObjectReference> dataSource,
    Optional<TypedObjectReference> dataSourceRef,
    Optional<String> volumeAttributesClassName) implements PersistentVolumeClaimSpecBuilder.With {

  public PersistentVolumeClaimSpec {
    accessModes = Normalize.list(accessModes);
    selector = Normalize.opt(selector);
    resources = Normalize.or(resources, () -> ResourceRequirementsBuilder.builder().build());
    volumeName = Normalize.opt(volumeName);
    storageClassName = Normalize.opt(storageClassName);
    volumeMode = Normalize.opt(volumeMode);
    dataSource = Normalize.opt(dataSource);
    dataSourceRef = Normalize.opt(dataSourceRef);
    volumeAttributesClassName = Normalize.opt(volumeAttributesClassName);
  }

  /** The {@code storage} request, if set. */
  @JsonIgnore
  public Optional<Quantity> requestedStorage() {
    return resources.storageRequest();
  }

  /** The volume mode, {@code Filesystem} when unset (Kubernetes' default). */
  @JsonIgnore
  public String effectiveVolumeMode() {
    return volumeMode.orElse(VolumeModes.FILESYSTEM);
  }
}

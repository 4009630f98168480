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
 * A request for storage ({@code v1 PersistentVolumeClaim}, namespaced).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record PersistentVolumeClaim(
    ObjectMeta metadata,
    PersistentVolumeClaimSpec spec,
    PersistentVolumeClaimStatus status) implements PersistentVolumeClaimBuilder.With, ApiObject {

  /** The API version, v1. */
  public static final String API_VERSION = "v1";
  /** The kind, PersistentVolumeClaim. */
  public static final String KIND = "PersistentVolumeClaim";

  public PersistentVolumeClaim {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> PersistentVolumeClaimSpecBuilder.builder().build());
    status = Normalize.or(status, () -> PersistentVolumeClaimStatusBuilder.builder().build());
  }

  @Override
  @JsonProperty("apiVersion")
  public String apiVersion() {
    return API_VERSION;
  }

  @Override
  @JsonProperty("kind")
  public String kind() {
    return KIND;
  }

  @Override
  public PersistentVolumeClaim withMetadata(ObjectMeta metadata) {
    return new PersistentVolumeClaim(metadata, spec, status); // what the builder does, without the builder
  }

  /** {@code spec.storageClassName}: empty = not set (default class), {@code ""} = explicitly no class. */
  public Optional<String> storageClassName() {
    return spec.storageClassName();
  }

  /** The {@code storage} request, if set. */
  public Optional<Quantity> requestedStorage() {
    return spec.requestedStorage();
  }

  /** The phase, {@code Pending} when unset. */
  public String phase() {
    return status.phase().orElse(PersistentVolumeClaimStatus.PENDING);
  }

  /** Whether the claim is Bound. */
  @JsonIgnore
  public boolean isBound() {
    return PersistentVolumeClaimStatus.BOUND.equals(phase());
  }

  /** {@code spec.volumeName} when set and non-empty. */
  public Optional<String> volumeName() {
    return spec.volumeName().filter(n -> !n.isEmpty());
  }

  /** The legacy annotation that, when present, overrides {@code spec.storageClassName}. */
  public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

  /**
   * The claim's class as the controllers read it: the beta annotation if present, else {@code
   * spec.storageClassName}, else {@code ""} (GetPersistentVolumeClaimClass).
   */
  public String storageClass() {
    return metadata.annotation(BETA_STORAGE_CLASS).orElse(spec.storageClassName().orElse(""));
  }

  /**
   * Whether the claim names a class, even {@code ""} (PersistentVolumeClaimHasClass): such a
   * claim never gets the default class.
   */
  public boolean hasStorageClass() {
    return metadata.annotation(BETA_STORAGE_CLASS).isPresent() || spec.storageClassName().isPresent();
  }
}

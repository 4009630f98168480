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
 * A piece of storage ({@code v1 PersistentVolume}, cluster-scoped).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record PersistentVolume(
    ObjectMeta metadata,
    PersistentVolumeSpec spec,
    PersistentVolumeStatus status) implements PersistentVolumeBuilder.With, ApiObject {

  /** The API version, v1. */
  public static final String API_VERSION = "v1";
  /** The kind, PersistentVolume. */
  public static final String KIND = "PersistentVolume";

  public PersistentVolume {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> PersistentVolumeSpecBuilder.builder().build());
    status = Normalize.or(status, () -> PersistentVolumeStatusBuilder.builder().build());
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
  public PersistentVolume withMetadata(ObjectMeta metadata) {
    return new PersistentVolume(metadata, spec, status); // what the builder does, without the builder
  }

  /** {@code spec.capacity[storage]}, if set. */
  public Optional<Quantity> capacityStorage() {
    return Optional.ofNullable(spec.capacity().get("storage"));
  }

  /** The phase, {@code Pending} when unset. */
  public String phase() {
    return status.phase().orElse(PersistentVolumeStatus.PENDING);
  }

  /** Whether the phase is Bound. */
  @JsonIgnore
  public boolean isBound() {
    return PersistentVolumeStatus.BOUND.equals(phase());
  }

  /** The reclaim policy, {@code Retain} when unset (the API default for a manually created PV). */
  public String reclaimPolicy() {
    return spec.persistentVolumeReclaimPolicy().orElse(ReclaimPolicies.RETAIN);
  }

  /** The CSI source, if this is a CSI volume. */
  public Optional<CSIPersistentVolumeSource> csi() {
    return spec.csi();
  }

  /** The volume's class: the beta annotation if present, else {@code spec.storageClassName}. */
  public String storageClass() {
    return metadata.annotation(PersistentVolumeClaim.BETA_STORAGE_CLASS).orElse(spec.storageClassName());
  }

  /**
   * Whether {@code spec.claimRef} names the claim: same namespace and name, and a uid that is
   * empty or the claim's (IsVolumeBoundToClaim).
   */
  public boolean isBoundTo(PersistentVolumeClaim claim) {
    if (spec.claimRef().isEmpty()) {
      return false;
    }
    ObjectReference ref = spec.claimRef().get();
    String uid = ref.uidOrEmpty();
    return ref.nameOrEmpty().equals(claim.metadata().name())
        && ref.namespaceOrEmpty().equals(claim.metadata().namespaceOrEmpty())
        && (uid.isEmpty() || uid.equals(claim.metadata().uid().orElse("")));
  }
}

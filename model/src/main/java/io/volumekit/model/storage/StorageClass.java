package io.volumekit.model.storage;

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
import io.volumekit.model.core.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A class of storage ({@code storage.k8s.io/v1 StorageClass}, cluster-scoped): provisioner, parameters,
 * reclaim policy ({@code Delete} default), binding mode ({@code Immediate} default), expansion, allowed topologies.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record StorageClass(
    ObjectMeta metadata,
    String provisioner,
    ImmutableMap<String, String> parameters,
    Optional<String> reclaimPolicy,
    ImmutableList<String> mountOptions,
    Optional<Boolean> allowVolumeExpansion,
    Optional<String> volumeBindingMode,
    ImmutableList<TopologySelectorTerm> allowedTopologies) implements StorageClassBuilder.With, ApiObject {

  /** The API version, storage.k8s.io/v1. */
  public static final String API_VERSION = "storage.k8s.io/v1";
  /** The kind, StorageClass. */
  public static final String KIND = "StorageClass";

  public StorageClass {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    provisioner = Normalize.str(provisioner);
    parameters = Normalize.map(parameters);
    reclaimPolicy = Normalize.opt(reclaimPolicy);
    mountOptions = Normalize.list(mountOptions);
    allowVolumeExpansion = Normalize.opt(allowVolumeExpansion);
    volumeBindingMode = Normalize.opt(volumeBindingMode);
    allowedTopologies = Normalize.list(allowedTopologies);
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
  public StorageClass withMetadata(ObjectMeta metadata) {
    return StorageClassBuilder.builder(this).metadata(metadata).build();
  }

  /** The annotation marking the default class. */
  public static final String IS_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  /** The beta twin of {@link #IS_DEFAULT_CLASS}. */
  public static final String BETA_IS_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
  /** The provisioner name of classes without dynamic provisioning. */
  public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  /** Whether the class is marked default (either annotation equals {@code "true"}). */
  @JsonIgnore
  public boolean isDefault() {
    return metadata.annotation(IS_DEFAULT_CLASS).filter("true"::equals).isPresent()
        || metadata.annotation(BETA_IS_DEFAULT_CLASS).filter("true"::equals).isPresent();
  }

  /** The reclaim policy, {@code Delete} when unset. */
  public String effectiveReclaimPolicy() {
    return reclaimPolicy.orElse(ReclaimPolicies.DELETE);
  }

  /** The binding mode, {@code Immediate} when unset. */
  public String effectiveVolumeBindingMode() {
    return volumeBindingMode.orElse(BindingModes.IMMEDIATE);
  }

  /** Whether expansion is allowed ({@code false} when unset). */
  public boolean expansionAllowed() {
    return allowVolumeExpansion.orElse(false);
  }
}

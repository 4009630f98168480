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
 * Capacity a driver reports for a class in a topology segment
 * ({@code storage.k8s.io/v1 CSIStorageCapacity}, namespaced). An absent {@code nodeTopology} matches no node.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record CSIStorageCapacity(
    ObjectMeta metadata,
    Optional<LabelSelector> nodeTopology,
    String storageClassName,
    Optional<Quantity> capacity,
    Optional<Quantity> maximumVolumeSize) implements CSIStorageCapacityBuilder.With, ApiObject {

  /** The API version, storage.k8s.io/v1. */
  public static final String API_VERSION = "storage.k8s.io/v1";
  /** The kind, CSIStorageCapacity. */
  public static final String KIND = "CSIStorageCapacity";

  public CSIStorageCapacity {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    nodeTopology = Normalize.opt(nodeTopology);
    storageClassName = Normalize.str(storageClassName);
    capacity = Normalize.opt(capacity);
    maximumVolumeSize = Normalize.opt(maximumVolumeSize);
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
  public CSIStorageCapacity withMetadata(ObjectMeta metadata) {
    return CSIStorageCapacityBuilder.builder(this).metadata(metadata).build();
  }
}

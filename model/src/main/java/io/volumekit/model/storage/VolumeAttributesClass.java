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
 * Mutable volume attributes for a CSI driver ({@code storage.k8s.io/v1 VolumeAttributesClass}, cluster-scoped).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumeAttributesClass(
    ObjectMeta metadata,
    String driverName,
    ImmutableMap<String, String> parameters) implements VolumeAttributesClassBuilder.With, ApiObject {

  /** The API version, storage.k8s.io/v1. */
  public static final String API_VERSION = "storage.k8s.io/v1";
  /** The kind, VolumeAttributesClass. */
  public static final String KIND = "VolumeAttributesClass";

  public VolumeAttributesClass {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    driverName = Normalize.str(driverName);
    parameters = Normalize.map(parameters);
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
  public VolumeAttributesClass withMetadata(ObjectMeta metadata) {
    return VolumeAttributesClassBuilder.builder(this).metadata(metadata).build();
  }
}

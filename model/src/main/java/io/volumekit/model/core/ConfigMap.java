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
 * A config map ({@code v1 ConfigMap}, namespaced): {@code data} text and {@code binaryData} base64.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record ConfigMap(
    ObjectMeta metadata,
    ImmutableMap<String, String> data,
    ImmutableMap<String, String> binaryData,
    Optional<Boolean> immutable) implements ConfigMapBuilder.With, ApiObject {

  /** The API version, v1. */
  public static final String API_VERSION = "v1";
  /** The kind, ConfigMap. */
  public static final String KIND = "ConfigMap";

  public ConfigMap {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    data = Normalize.map(data);
    binaryData = Normalize.map(binaryData);
    immutable = Normalize.opt(immutable);
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
  public ConfigMap withMetadata(ObjectMeta metadata) {
    return ConfigMapBuilder.builder(this).metadata(metadata).build();
  }
}

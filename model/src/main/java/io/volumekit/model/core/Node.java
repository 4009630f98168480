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
 * A node ({@code v1 Node}, cluster-scoped): labels (topology), taints, conditions, allocatable.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record Node(
    ObjectMeta metadata,
    NodeSpec spec,
    NodeStatus status) implements NodeBuilder.With, ApiObject {

  /** The API version, v1. */
  public static final String API_VERSION = "v1";
  /** The kind, Node. */
  public static final String KIND = "Node";

  public Node {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> NodeSpecBuilder.builder().build());
    status = Normalize.or(status, () -> NodeStatusBuilder.builder().build());
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
  public Node withMetadata(ObjectMeta metadata) {
    return NodeBuilder.builder(this).metadata(metadata).build();
  }

  /** Whether the {@code Ready} condition is {@code True}. */
  @JsonIgnore
  public boolean isReady() {
    return status.conditions().stream().anyMatch(c -> c.type().equals("Ready") && c.status().equals("True"));
  }
}

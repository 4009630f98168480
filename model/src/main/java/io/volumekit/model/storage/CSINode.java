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
 * The CSI drivers on one node ({@code storage.k8s.io/v1 CSINode}, cluster-scoped; name = node name).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record CSINode(
    ObjectMeta metadata,
    @Valid CSINodeSpec spec) implements CSINodeBuilder.With, ApiObject {

  /** The API version, storage.k8s.io/v1. */
  public static final String API_VERSION = "storage.k8s.io/v1";
  /** The kind, CSINode. */
  public static final String KIND = "CSINode";

  public CSINode {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> CSINodeSpecBuilder.builder().build());
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
  public CSINode withMetadata(ObjectMeta metadata) {
    return CSINodeBuilder.builder(this).metadata(metadata).build();
  }
}

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
 * A pod ({@code v1 Pod}, namespaced): volumekit places it on a node, makes its volumes ready and reports them.
 *
 * <pre>{@code
 * Pod pod = PodBuilder.builder().metadata(ObjectMeta.named("default", "mysql")).spec(spec).build();
 * }</pre>
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record Pod(
    ObjectMeta metadata,
    @Valid PodSpec spec,
    PodStatus status) implements PodBuilder.With, ApiObject {

  /** The API version, v1. */
  public static final String API_VERSION = "v1";
  /** The kind, Pod. */
  public static final String KIND = "Pod";

  public Pod {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> PodSpecBuilder.builder().build());
    status = Normalize.or(status, () -> PodStatusBuilder.builder().build());
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
  public Pod withMetadata(ObjectMeta metadata) {
    return new Pod(metadata, spec, status); // what the builder does, without the builder
  }

  /** The claim names used by this pod's {@code persistentVolumeClaim} volumes, in volume order. */
  @JsonIgnore
  public ImmutableList<String> claimNames() {
    return spec.volumes().stream()
        .flatMap(v -> v.persistentVolumeClaim().stream())
        .map(PersistentVolumeClaimVolumeSource::claimName)
        .collect(ImmutableList.toImmutableList());
  }

  /** The node the pod is placed on, if any. */
  public Optional<String> nodeName() {
    return spec.nodeName().filter(n -> !n.isEmpty());
  }
}

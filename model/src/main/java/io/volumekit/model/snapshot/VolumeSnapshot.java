package io.volumekit.model.snapshot;

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
 * A user's request for a snapshot ({@code snapshot.storage.k8s.io/v1 VolumeSnapshot}, namespaced).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumeSnapshot(
    ObjectMeta metadata,
    VolumeSnapshotSpec spec,
    VolumeSnapshotStatus status) implements VolumeSnapshotBuilder.With, ApiObject {

  /** The API version, snapshot.storage.k8s.io/v1. */
  public static final String API_VERSION = "snapshot.storage.k8s.io/v1";
  /** The kind, VolumeSnapshot. */
  public static final String KIND = "VolumeSnapshot";

  public VolumeSnapshot {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> VolumeSnapshotSpecBuilder.builder().build());
    status = Normalize.or(status, () -> VolumeSnapshotStatusBuilder.builder().build());
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
  public VolumeSnapshot withMetadata(ObjectMeta metadata) {
    return VolumeSnapshotBuilder.builder(this).metadata(metadata).build();
  }
}

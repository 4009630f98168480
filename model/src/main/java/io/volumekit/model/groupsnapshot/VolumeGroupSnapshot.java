package io.volumekit.model.groupsnapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectMeta;

/**
 * A user's request for a group snapshot ({@code groupsnapshot.storage.k8s.io/v1beta1
 * VolumeGroupSnapshot}, namespaced, short name {@code vgs}): snapshots of every claim of its
 * namespace that {@code spec.source.selector} matches, taken together, or a binding to an existing
 * VolumeGroupSnapshotContent ({@code spec.source.volumeGroupSnapshotContentName}).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumeGroupSnapshot(
    ObjectMeta metadata,
    VolumeGroupSnapshotSpec spec,
    VolumeGroupSnapshotStatus status) implements VolumeGroupSnapshotBuilder.With, ApiObject {

  /** The API version, groupsnapshot.storage.k8s.io/v1beta1. */
  public static final String API_VERSION = "groupsnapshot.storage.k8s.io/v1beta1";
  /** The kind, VolumeGroupSnapshot. */
  public static final String KIND = "VolumeGroupSnapshot";

  public VolumeGroupSnapshot {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> VolumeGroupSnapshotSpecBuilder.builder().build());
    status = Normalize.or(status, () -> VolumeGroupSnapshotStatusBuilder.builder().build());
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
  public VolumeGroupSnapshot withMetadata(ObjectMeta metadata) {
    return VolumeGroupSnapshotBuilder.builder(this).metadata(metadata).build();
  }
}

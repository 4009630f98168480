package io.volumekit.model.groupsnapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectMeta;

/**
 * A group snapshot on the storage system ({@code groupsnapshot.storage.k8s.io/v1beta1
 * VolumeGroupSnapshotContent}, cluster-scoped, short names {@code vgsc}, {@code vgscs}) and the
 * VolumeGroupSnapshot bound to it.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumeGroupSnapshotContent(
    ObjectMeta metadata,
    VolumeGroupSnapshotContentSpec spec,
    VolumeGroupSnapshotContentStatus status) implements VolumeGroupSnapshotContentBuilder.With, ApiObject {

  /** The API version, groupsnapshot.storage.k8s.io/v1beta1. */
  public static final String API_VERSION = "groupsnapshot.storage.k8s.io/v1beta1";
  /** The kind, VolumeGroupSnapshotContent. */
  public static final String KIND = "VolumeGroupSnapshotContent";

  public VolumeGroupSnapshotContent {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> VolumeGroupSnapshotContentSpecBuilder.builder().build());
    status = Normalize.or(status, () -> VolumeGroupSnapshotContentStatusBuilder.builder().build());
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
  public VolumeGroupSnapshotContent withMetadata(ObjectMeta metadata) {
    return VolumeGroupSnapshotContentBuilder.builder(this).metadata(metadata).build();
  }
}

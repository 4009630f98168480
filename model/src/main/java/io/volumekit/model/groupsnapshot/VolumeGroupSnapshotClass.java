package io.volumekit.model.groupsnapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableMap;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectMeta;

/**
 * A class of group snapshots ({@code groupsnapshot.storage.k8s.io/v1beta1 VolumeGroupSnapshotClass},
 * cluster-scoped): the driver, its opaque parameters (passed to CreateVolumeGroupSnapshot without
 * the reserved {@code csi.storage.k8s.io/} keys) and the deletion policy (Delete or Retain).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumeGroupSnapshotClass(
    ObjectMeta metadata,
    String driver,
    ImmutableMap<String, String> parameters,
    String deletionPolicy) implements VolumeGroupSnapshotClassBuilder.With, ApiObject {

  /** The API version, groupsnapshot.storage.k8s.io/v1beta1. */
  public static final String API_VERSION = "groupsnapshot.storage.k8s.io/v1beta1";
  /** The kind, VolumeGroupSnapshotClass. */
  public static final String KIND = "VolumeGroupSnapshotClass";
  /** The annotation marking the default group snapshot class of a driver. */
  public static final String IS_DEFAULT_CLASS = "groupsnapshot.storage.kubernetes.io/is-default-class";

  public VolumeGroupSnapshotClass {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    driver = Normalize.str(driver);
    parameters = Normalize.map(parameters);
    deletionPolicy = Normalize.str(deletionPolicy);
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
  public VolumeGroupSnapshotClass withMetadata(ObjectMeta metadata) {
    return VolumeGroupSnapshotClassBuilder.builder(this).metadata(metadata).build();
  }
}

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
 * A class of snapshots ({@code snapshot.storage.k8s.io/v1 VolumeSnapshotClass}, cluster-scoped);
 * deletionPolicy Delete or Retain.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumeSnapshotClass(
    ObjectMeta metadata,
    String driver,
    ImmutableMap<String, String> parameters,
    String deletionPolicy) implements VolumeSnapshotClassBuilder.With, ApiObject {

  /** The API version, snapshot.storage.k8s.io/v1. */
  public static final String API_VERSION = "snapshot.storage.k8s.io/v1";
  /** The kind, VolumeSnapshotClass. */
  public static final String KIND = "VolumeSnapshotClass";

  public VolumeSnapshotClass {
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
  public VolumeSnapshotClass withMetadata(ObjectMeta metadata) {
    return VolumeSnapshotClassBuilder.builder(this).metadata(metadata).build();
  }

  /** The annotation marking the default class of a driver. */
  public static final String IS_DEFAULT_CLASS = "snapshot.storage.kubernetes.io/is-default-class";
}

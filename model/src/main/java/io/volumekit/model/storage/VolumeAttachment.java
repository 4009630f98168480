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
 * A request to attach a volume to a node ({@code storage.k8s.io/v1 VolumeAttachment}, cluster-scoped;
 * Kubernetes names it {@code csi-<sha256(volumeHandle+attacher+node)>}).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumeAttachment(
    ObjectMeta metadata,
    VolumeAttachmentSpec spec,
    VolumeAttachmentStatus status) implements VolumeAttachmentBuilder.With, ApiObject {

  /** The API version, storage.k8s.io/v1. */
  public static final String API_VERSION = "storage.k8s.io/v1";
  /** The kind, VolumeAttachment. */
  public static final String KIND = "VolumeAttachment";

  public VolumeAttachment {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> VolumeAttachmentSpecBuilder.builder().build());
    status = Normalize.or(status, () -> VolumeAttachmentStatusBuilder.builder().build());
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
  public VolumeAttachment withMetadata(ObjectMeta metadata) {
    return VolumeAttachmentBuilder.builder(this).metadata(metadata).build();
  }
}

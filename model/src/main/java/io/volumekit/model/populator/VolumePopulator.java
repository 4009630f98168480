package io.volumekit.model.populator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectMeta;

/**
 * The registration of a volume populator ({@code populator.storage.k8s.io/v1beta1 VolumePopulator},
 * cluster-scoped, from kubernetes-csi/volume-data-source-validator): a claim whose {@code
 * dataSourceRef} names {@code sourceKind} is expected to be filled by that populator. A claim naming
 * a kind no VolumePopulator registers (other than PersistentVolumeClaim and VolumeSnapshot) gets a
 * Warning {@code UnrecognizedDataSourceKind} event from the data source validator.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record VolumePopulator(ObjectMeta metadata, SourceKind sourceKind)
    implements VolumePopulatorBuilder.With, ApiObject {

  /** The API version, populator.storage.k8s.io/v1beta1. */
  public static final String API_VERSION = "populator.storage.k8s.io/v1beta1";
  /** The kind, VolumePopulator. */
  public static final String KIND = "VolumePopulator";

  public VolumePopulator {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    sourceKind = Normalize.or(sourceKind, () -> new SourceKind("", ""));
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
  public VolumePopulator withMetadata(ObjectMeta metadata) {
    return VolumePopulatorBuilder.builder(this).metadata(metadata).build();
  }
}

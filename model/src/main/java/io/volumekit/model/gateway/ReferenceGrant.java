package io.volumekit.model.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectMeta;

/**
 * A Gateway API {@code ReferenceGrant} ({@code gateway.networking.k8s.io/v1beta1}, namespaced): it
 * lets objects of the kinds and namespaces in {@code spec.from} refer to objects of the kinds (and,
 * optionally, the name) in {@code spec.to} in the grant's own namespace. Kubernetes' external
 * provisioner and volume populators read it for cross-namespace data sources (the {@code
 * CrossNamespaceVolumeDataSource} feature): a claim in namespace A may restore from a snapshot in
 * namespace B only if a grant in B has {@code from: {group: "", kind: PersistentVolumeClaim,
 * namespace: A}} and {@code to: {group: snapshot.storage.k8s.io, kind: VolumeSnapshot}}.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record ReferenceGrant(ObjectMeta metadata, ReferenceGrantSpec spec)
    implements ReferenceGrantBuilder.With, ApiObject {

  /** The API version, gateway.networking.k8s.io/v1beta1. */
  public static final String API_VERSION = "gateway.networking.k8s.io/v1beta1";
  /** The kind, ReferenceGrant. */
  public static final String KIND = "ReferenceGrant";

  public ReferenceGrant {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> new ReferenceGrantSpec(null, null));
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
  public ReferenceGrant withMetadata(ObjectMeta metadata) {
    return ReferenceGrantBuilder.builder(this).metadata(metadata).build();
  }
}

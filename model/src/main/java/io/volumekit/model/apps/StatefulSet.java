package io.volumekit.model.apps;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.soabase.recordbuilder.core.RecordBuilder;
import jakarta.validation.Valid;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectMeta;

/**
 * A set of pods with stable identities and stable storage ({@code apps/v1 StatefulSet},
 * namespaced): pod {@code <set>-<ordinal>} mounts claims {@code <template>-<set>-<ordinal>} made
 * from {@code spec.volumeClaimTemplates}, which outlive the pod (and, by default, the set).
 *
 * <pre>{@code
 * StatefulSet db = StatefulSetBuilder.builder().metadata(ObjectMeta.named("default", "db")).spec(spec).build();
 * }</pre>
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record StatefulSet(
    ObjectMeta metadata,
    @Valid StatefulSetSpec spec,
    StatefulSetStatus status) implements StatefulSetBuilder.With, ApiObject {

  /** The API version, apps/v1. */
  public static final String API_VERSION = "apps/v1";
  /** The kind, StatefulSet. */
  public static final String KIND = "StatefulSet";

  public StatefulSet {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> StatefulSetSpecBuilder.builder().build());
    status = Normalize.or(status, () -> StatefulSetStatusBuilder.builder().build());
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
  public StatefulSet withMetadata(ObjectMeta metadata) {
    return StatefulSetBuilder.builder(this).metadata(metadata).build();
  }
}

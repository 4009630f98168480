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
 * A typed reference, maybe in another namespace ({@code core/v1 TypedObjectReference}): a PVC's {@code spec.dataSourceRef}.
 */
@RecordBuilder
public record TypedObjectReference(
    Optional<String> apiGroup,
    String kind,
    String name,
    Optional<String> namespace) implements TypedObjectReferenceBuilder.With {

  public TypedObjectReference {
    apiGroup = Normalize.opt(apiGroup);
    kind = Normalize.str(kind);
    name = Normalize.str(name);
    namespace = Normalize.opt(namespace);
  }
}

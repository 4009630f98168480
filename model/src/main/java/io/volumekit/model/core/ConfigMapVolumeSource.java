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
 * A volume filled from a ConfigMap's keys ({@code configMap:}).
 */
@RecordBuilder
public record ConfigMapVolumeSource(
    Optional<String> name,
    ImmutableList<@Valid KeyToPath> items,
    Optional<@Min(value = 0, message = FieldMessages.FILE_MODE) @Max(value = 0777, message = FieldMessages.FILE_MODE) Integer> defaultMode,
    Optional<Boolean> optional) implements ConfigMapVolumeSourceBuilder.With, VolumeSource {

  public ConfigMapVolumeSource {
    name = Normalize.opt(name);
    items = Normalize.list(items);
    defaultMode = Normalize.opt(defaultMode);
    optional = Normalize.opt(optional);
  }
}

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
 * Maps a Secret or ConfigMap key to a file path inside the volume ({@code core/v1 KeyToPath}).
 */
@RecordBuilder
public record KeyToPath(
    String key,
    String path,
    Optional<@Min(value = 0, message = FieldMessages.FILE_MODE) @Max(value = 0777, message = FieldMessages.FILE_MODE) Integer> mode) implements KeyToPathBuilder.With {

  public KeyToPath {
    key = Normalize.str(key);
    path = Normalize.str(path);
    mode = Normalize.opt(mode);
  }
}

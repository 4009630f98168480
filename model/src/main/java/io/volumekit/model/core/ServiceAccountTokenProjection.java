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
 * A service account token projected into a projected volume.
 */
@RecordBuilder
public record ServiceAccountTokenProjection(
    Optional<String> audience,
    Optional<@Min(value = 600, message = "may not specify a duration less than 10 minutes") @Max(value = 4294967296L, message = "may not specify a duration larger than 2^32 seconds") Long> expirationSeconds,
    String path) implements ServiceAccountTokenProjectionBuilder.With {

  public ServiceAccountTokenProjection {
    audience = Normalize.opt(audience);
    expirationSeconds = Normalize.opt(expirationSeconds);
    path = Normalize.str(path);
  }
}

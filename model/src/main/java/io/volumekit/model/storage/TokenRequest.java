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
 * A service account token a CSI driver wants at NodePublishVolume.
 */
@RecordBuilder
public record TokenRequest(
    String audience,
    Optional<@Min(value = 600, message = "may not specify a duration less than 10 minutes") Long> expirationSeconds) implements TokenRequestBuilder.With {

  public TokenRequest {
    audience = Normalize.str(audience);
    expirationSeconds = Normalize.opt(expirationSeconds);
  }
}

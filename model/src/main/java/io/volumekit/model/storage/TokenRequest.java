package io.volumekit.model.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.soabase.recordbuilder.core.RecordBuilder;
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
    Optional<Long> expirationSeconds) implements TokenRequestBuilder.With {

  public TokenRequest {
    audience = Normalize.str(audience);
    expirationSeconds = Normalize.opt(expirationSeconds);
  }
}

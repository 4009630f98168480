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
 * One source of a projected volume: exactly one of secret, configMap, downwardAPI, serviceAccountToken.
 */
@RecordBuilder
public record VolumeProjection(
    Optional<@Valid SecretProjection> secret,
    Optional<@Valid ConfigMapProjection> configMap,
    Optional<DownwardAPIProjection> downwardAPI,
    Optional<@Valid ServiceAccountTokenProjection> serviceAccountToken) implements VolumeProjectionBuilder.With {

  public VolumeProjection {
    secret = Normalize.opt(secret);
    configMap = Normalize.opt(configMap);
    downwardAPI = Normalize.opt(downwardAPI);
    serviceAccountToken = Normalize.opt(serviceAccountToken);
  }
}

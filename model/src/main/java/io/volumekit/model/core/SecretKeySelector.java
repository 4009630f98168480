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
 * Selects a key of a Secret (env var source).
 */
@RecordBuilder
public record SecretKeySelector(
    Optional<String> name,
    String key,
    Optional<Boolean> optional) implements SecretKeySelectorBuilder.With {

  public SecretKeySelector {
    name = Normalize.opt(name);
    key = Normalize.str(key);
    optional = Normalize.opt(optional);
  }

  @Override
  public String toString() {
    return "SecretKeySelector[name=" + name + ", key=" + key + "]";
  }
}

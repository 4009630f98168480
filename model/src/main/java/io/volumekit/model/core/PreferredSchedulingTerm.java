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
 * A weighted preferred node selector term ({@code core/v1 PreferredSchedulingTerm}).
 */
@RecordBuilder
public record PreferredSchedulingTerm(
    @Min(value = 1, message = "must be in the range 1-100") @Max(value = 100, message = "must be in the range 1-100") int weight,
    NodeSelectorTerm preference) implements PreferredSchedulingTermBuilder.With {

  public PreferredSchedulingTerm {
    preference = Normalize.or(preference, () -> NodeSelectorTermBuilder.builder().build());
  }
}

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
 * An allowed-topology term of a StorageClass ({@code core/v1 TopologySelectorTerm}); requirements are ANDed.
 */
@RecordBuilder
public record TopologySelectorTerm(
    ImmutableList<TopologySelectorLabelRequirement> matchLabelExpressions) implements TopologySelectorTermBuilder.With {

  public TopologySelectorTerm {
    matchLabelExpressions = Normalize.list(matchLabelExpressions);
  }

  /** Whether the labels satisfy every requirement of the term. */
  public boolean matches(Map<String, String> labels) {
    for (TopologySelectorLabelRequirement r : matchLabelExpressions) {
      String v = labels.get(r.key());
      if (v == null || !r.values().contains(v)) {
        return false;
      }
    }
    return true;
  }
}

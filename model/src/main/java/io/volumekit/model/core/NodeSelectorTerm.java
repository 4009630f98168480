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
 * A node selector term ({@code core/v1 NodeSelectorTerm}): all expressions on labels and all on fields must match.
 *
 * <p>An empty term matches no node, as in {@code component-helpers nodeaffinity}.
 */
@RecordBuilder
public record NodeSelectorTerm(
    ImmutableList<NodeSelectorRequirement> matchExpressions,
    ImmutableList<NodeSelectorRequirement> matchFields) implements NodeSelectorTermBuilder.With {

  public NodeSelectorTerm {
    matchExpressions = Normalize.list(matchExpressions);
    matchFields = Normalize.list(matchFields);
  }

  /** Whether the node with these labels and fields (e.g. {@code metadata.name}) satisfies the term. */
  public boolean matches(Map<String, String> labels, Map<String, String> fields) {
    if (matchExpressions.isEmpty() && matchFields.isEmpty()) {
      return false;
    }
    for (NodeSelectorRequirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : matchFields) {
      if (!r.matches(fields)) {
        return false;
      }
    }
    return true;
  }
}

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
 * A node selector ({@code core/v1 NodeSelector}): the terms are ORed.
 */
@RecordBuilder
public record NodeSelector(
    ImmutableList<NodeSelectorTerm> nodeSelectorTerms) implements NodeSelectorBuilder.With {

  public NodeSelector {
    nodeSelectorTerms = Normalize.list(nodeSelectorTerms);
  }

  /** Whether any term matches the node's labels and fields. */
  public boolean matches(Map<String, String> labels, Map<String, String> fields) {
    for (NodeSelectorTerm t : nodeSelectorTerms) {
      if (t.matches(labels, fields)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any term matches the node (labels and the {@code metadata.name} field). */
  public boolean matches(Node node) {
    return matches(node.metadata().labels(), Map.of("metadata.name", node.metadata().name()));
  }
}

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
 * A node's observed state ({@code core/v1 NodeStatus}): what its kubelet reports (capacity,
 * allocatable, conditions, addresses and the machine's {@link NodeSystemInfo}).
 */
@RecordBuilder
public record NodeStatus(
    ImmutableMap<String, Quantity> capacity,
    ImmutableMap<String, Quantity> allocatable,
    ImmutableList<NodeCondition> conditions,
    ImmutableList<NodeAddress> addresses,
    Optional<NodeSystemInfo> nodeInfo) implements NodeStatusBuilder.With {

  public NodeStatus {
    capacity = Normalize.map(capacity);
    allocatable = Normalize.map(allocatable);
    conditions = Normalize.list(conditions);
    addresses = Normalize.list(addresses);
    nodeInfo = Normalize.opt(nodeInfo);
  }
}

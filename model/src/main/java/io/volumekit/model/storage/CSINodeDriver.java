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
 * One CSI driver on a node: its node ID, topology keys and volume limit.
 */
@RecordBuilder
public record CSINodeDriver(
    String name,
    @Size(max = 128, message = "must be 128 characters or less") String nodeID,
    ImmutableList<String> topologyKeys,
    Optional<@Valid VolumeNodeResources> allocatable) implements CSINodeDriverBuilder.With {

  public CSINodeDriver {
    name = Normalize.str(name);
    nodeID = Normalize.str(nodeID);
    topologyKeys = Normalize.list(topologyKeys);
    allocatable = Normalize.opt(allocatable);
  }
}

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
 * The drivers registered on a node.
 */
@RecordBuilder
public record CSINodeSpec(
    ImmutableList<@Valid CSINodeDriver> drivers) implements CSINodeSpecBuilder.With {

  public CSINodeSpec {
    drivers = Normalize.list(drivers);
  }

  /** The entry of the named driver, if registered. */
  public Optional<CSINodeDriver> driver(String name) {
    return drivers.stream().filter(d -> d.name().equals(name)).findFirst();
  }
}

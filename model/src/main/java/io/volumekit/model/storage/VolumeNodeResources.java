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
 * Volume limits of a CSI driver on a node: the maximum number of volumes ({@code count}).
 */
@RecordBuilder
public record VolumeNodeResources(
    Optional<@Min(value = 0, message = "must be greater than or equal to 0") Integer> count) implements VolumeNodeResourcesBuilder.With {

  public VolumeNodeResources {
    count = Normalize.opt(count);
  }
}

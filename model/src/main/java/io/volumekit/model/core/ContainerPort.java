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
 * A container port ({@code core/v1 ContainerPort}).
 */
@RecordBuilder
public record ContainerPort(
    Optional<String> name,
    @Min(value = 1, message = "must be between 1 and 65535, inclusive") @Max(value = 65535, message = "must be between 1 and 65535, inclusive") int containerPort,
    Optional<String> protocol,
    Optional<Integer> hostPort) implements ContainerPortBuilder.With {

  public ContainerPort {
    name = Normalize.opt(name);
    protocol = Normalize.opt(protocol);
    hostPort = Normalize.opt(hostPort);
  }
}

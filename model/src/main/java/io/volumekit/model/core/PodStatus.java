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
 * The observed state of a pod ({@code core/v1 PodStatus}); phases Pending, Running, Succeeded, Failed, Unknown.
 */
@RecordBuilder
public record PodStatus(
    Optional<String> phase,
    ImmutableList<PodCondition> conditions,
    Optional<String> message,
    Optional<String> reason,
    Optional<String> hostIP,
    Optional<String> podIP,
    Optional<Instant> startTime) implements PodStatusBuilder.With {

  public PodStatus {
    phase = Normalize.opt(phase);
    conditions = Normalize.list(conditions);
    message = Normalize.opt(message);
    reason = Normalize.opt(reason);
    hostIP = Normalize.opt(hostIP);
    podIP = Normalize.opt(podIP);
    startTime = Normalize.opt(startTime);
  }

  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String UNKNOWN = "Unknown";
}

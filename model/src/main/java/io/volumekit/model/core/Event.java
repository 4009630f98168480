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
 * A Kubernetes event ({@code v1 Event}, namespaced) about an involved object; type Normal or Warning.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(value = {"apiVersion", "kind"}, allowGetters = true)
@RecordBuilder
public record Event(
    ObjectMeta metadata,
    ObjectReference involvedObject,
    Optional<String> reason,
    Optional<String> message,
    EventSource source,
    Optional<Instant> firstTimestamp,
    Optional<Instant> lastTimestamp,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @Min(value = 0, message = "must be greater than or equal to 0") int count,
    Optional<String> type) implements EventBuilder.With, ApiObject {

  /** The API version, v1. */
  public static final String API_VERSION = "v1";
  /** The kind, Event. */
  public static final String KIND = "Event";

  public Event {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    involvedObject = Normalize.or(involvedObject, () -> ObjectReferenceBuilder.builder().build());
    reason = Normalize.opt(reason);
    message = Normalize.opt(message);
    source = Normalize.or(source, () -> EventSourceBuilder.builder().build());
    firstTimestamp = Normalize.opt(firstTimestamp);
    lastTimestamp = Normalize.opt(lastTimestamp);
    type = Normalize.opt(type);
  }

  @Override
  @JsonProperty("apiVersion")
  public String apiVersion() {
    return API_VERSION;
  }

  @Override
  @JsonProperty("kind")
  public String kind() {
    return KIND;
  }

  @Override
  public Event withMetadata(ObjectMeta metadata) {
    return EventBuilder.builder(this).metadata(metadata).build();
  }

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
}

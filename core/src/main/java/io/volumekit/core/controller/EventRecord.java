package io.volumekit.core.controller;

import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.EventIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.EventBuilder;
import io.volumekit.model.core.EventSource;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes Event a controller wants recorded: reason, message and type about one object, and
 * the component reporting it ({@code source.component}).
 *
 * <p>The runtime turns it into a stored {@code Event} object, aggregating repeats (same object,
 * type, reason and message) into one event whose {@code count} grows, as Kubernetes' event
 * recorder does. Reasons and wording follow Kubernetes (the cases in docs/cases/ give them).
 */
public record EventRecord(
    ObjectKey involved, EventType type, String reason, String message, String source) {

  public EventRecord {
    Objects.requireNonNull(involved, "involved");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
    message = Objects.requireNonNullElse(message, "");
    source = Objects.requireNonNullElse(source, "");
    if (reason.isEmpty()) {
      throw new IllegalArgumentException("an event needs a reason");
    }
  }

  /** A Normal event from the named component (e.g. {@code persistentvolume-controller}). */
  public static EventRecord normal(String source, ObjectKey involved, String reason, String message) {
    return new EventRecord(involved, EventType.Normal, reason, message, source);
  }

  /** A Warning event from the named component. */
  public static EventRecord warning(String source, ObjectKey involved, String reason, String message) {
    return new EventRecord(involved, EventType.Warning, reason, message, source);
  }

  /**
   * This record as an unnamed, untimed {@code v1 Event} about the involved object as it is in
   * {@code state}: cluster-scoped objects' events live in the {@code default} namespace, as in
   * Kubernetes. Its {@link EventIndex#aggregateKey aggregation key} identifies repeats.
   */
  public Event toEvent(ClusterState state) {
    ObjectReference ref =
        state.get(involved)
            .map(ObjectReference::to)
            .orElseGet(
                () ->
                    ObjectReferenceBuilder.builder()
                        .kind(Optional.of(involved.kind()))
                        .namespace(involved.namespace().isEmpty() ? Optional.empty() : Optional.of(involved.namespace()))
                        .name(Optional.of(involved.name()))
                        .build());
    String namespace = involved.namespace().isEmpty() ? "default" : involved.namespace();
    return EventBuilder.builder()
        .metadata(ObjectMeta.named(namespace, ""))
        .involvedObject(ref)
        .reason(Optional.of(reason))
        .message(Optional.of(message))
        .type(Optional.of(type.name()))
        .source(new EventSource(Optional.of(source).filter(s -> !s.isEmpty()), Optional.empty()))
        .build();
  }

  /**
   * Whether this event is already stored for its object (same aggregation key as the recorder's),
   * so that a condition that lasts is reported once rather than on every reconcile.
   */
  public boolean isRecordedIn(ClusterState state) {
    return state.index(EventIndex.class).find(EventIndex.aggregateKey(toEvent(state))).isPresent();
  }
}

package io.volumekit.core.controller;

import io.volumekit.core.state.ObjectKey;
import java.util.Objects;

/**
 * A Kubernetes Event a controller wants recorded: reason, message and type about one object, and
 * the component reporting it ({@code source.component}).
 *
 * <p>The runtime turns it into a stored {@code Event} object, aggregating repeats (same object,
 * type, reason and message) into one event whose {@code count} grows, as Kubernetes' event
 * recorder does. Reasons and wording follow Kubernetes (spec/control-plane.md 1.9).
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
}

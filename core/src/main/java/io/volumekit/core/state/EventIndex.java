package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Event;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;

/**
 * Stored Kubernetes Events by their aggregation key (involved object, type, reason, message,
 * source), so that a repeated event updates the existing one's count, as the event correlator does.
 */
public final class EventIndex implements ObjectIndex {

  private static final EventIndex EMPTY = new EventIndex(TreePMap.empty());

  private final TreePMap<String, ObjectKey> byAggregate;

  private EventIndex(TreePMap<String, ObjectKey> byAggregate) {
    this.byAggregate = byAggregate;
  }

  /** The empty index. */
  public static EventIndex empty() {
    return EMPTY;
  }

  /** The key of the stored event with the aggregation key, if any. */
  public Optional<ObjectKey> find(String aggregateKey) {
    return Optional.ofNullable(byAggregate.get(aggregateKey));
  }

  /** The aggregation key of an event. */
  public static String aggregateKey(Event e) {
    var r = e.involvedObject();
    return r.kind().orElse("") + "/" + r.namespaceOrEmpty() + "/" + r.nameOrEmpty() + "/" + r.uidOrEmpty()
        + "|" + e.type().orElse("") + "|" + e.reason().orElse("") + "|" + e.source().component().orElse("")
        + "|" + e.message().orElse("");
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(Event.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(Event.KIND)) {
      return this;
    }
    if (change.before().orElse(null) instanceof Event eb && change.after().orElse(null) instanceof Event ea
        && eb.involvedObject().equals(ea.involvedObject()) && eb.type().equals(ea.type())
        && eb.reason().equals(ea.reason()) && eb.source().equals(ea.source()) && eb.message().equals(ea.message())) {
      return this; // a repeat (count, timestamps): every part of the aggregation key is kept
    }
    TreePMap<String, ObjectKey> m = byAggregate;
    Optional<Event> b = change.beforeAs(Event.class);
    Optional<Event> a = change.afterAs(Event.class);
    if (b.isPresent() && a.isPresent() && aggregateKey(b.get()).equals(aggregateKey(a.get()))) {
      return this;
    }
    if (b.isPresent()) {
      m = m.minus(aggregateKey(b.get()));
    }
    if (a.isPresent()) {
      m = m.plus(aggregateKey(a.get()), change.key());
    }
    return new EventIndex(m);
  }
}

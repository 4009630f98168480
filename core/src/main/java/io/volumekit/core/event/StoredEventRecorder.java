package io.volumekit.core.event;

import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.state.EventIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.Store;
import io.volumekit.model.core.Event;
import io.volumekit.model.meta.ObjectMeta;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Records Kubernetes Events as {@code v1 Event} objects in the store.
 *
 * <p>As in Kubernetes, events about cluster-scoped objects (PersistentVolumes, Nodes, classes)
 * live in the {@code default} namespace, an event is named {@code <involved name>.<hex>}, and a
 * repeat of an event (same object, type, reason, source and message) increments the stored one's
 * {@code count} and {@code lastTimestamp} instead of adding another.
 */
public final class StoredEventRecorder implements EventRecorder {

  @Override
  public void record(Store store, EventRecord record, Instant clockNow) {
    // firstTimestamp/lastTimestamp are metav1.Time, serialised with whole seconds like every other
    // timestamp the store sets (InMemoryStore truncates them too); keeping the clock's fraction
    // would print event times that disagree with the objects' own.
    Instant now = clockNow.truncatedTo(ChronoUnit.SECONDS);
    ObjectKey involved = record.involved();
    String namespace = involved.namespace().isEmpty() ? "default" : involved.namespace();
    Event probe = record.toEvent(store.state());
    String agg = EventIndex.aggregateKey(probe);
    Optional<ObjectKey> existing = store.state().index(EventIndex.class).find(agg);
    if (existing.isPresent()) {
      Optional<Event> e = store.state().get(existing.get(), Event.class);
      if (e.isPresent()) {
        store.update(e.get().withCount(e.get().count() + 1).withLastTimestamp(Optional.of(now)));
        return;
      }
    }
    String name = involved.name() + "." + Long.toHexString(store.state().resourceVersion() + 1);
    store.create(
        probe
            .withMetadata(ObjectMeta.named(namespace, name))
            .withCount(1)
            .withFirstTimestamp(Optional.of(now))
            .withLastTimestamp(Optional.of(now)));
  }
}

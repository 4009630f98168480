package io.volumekit.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.Fixtures;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.runtime.ManualClock;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.Admissions;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import io.volumekit.model.core.Event;
import io.volumekit.model.meta.ApiObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Stored Events: timestamps with whole seconds like the store's own, repeats counted. */
class StoredEventRecorderTest {

  @Test
  void eventTimestampsHaveWholeSecondsLikeObjectTimestamps() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00.750Z"));
    InMemoryStore store = new InMemoryStore(ClusterState.empty(), clock, Ids.seeded(1), Admissions.defaults());
    ApiObject pv = store.create(Fixtures.pv("pv1", "1Gi"));
    StoredEventRecorder recorder = new StoredEventRecorder();
    EventRecord record = EventRecord.warning("test", ObjectKey.of(pv), "Reason", "message");

    recorder.record(store, record, clock.instant());
    clock.advance(Duration.ofMillis(1_600)); // 00:00:02.350
    recorder.record(store, record, clock.instant());

    Event e = store.state().list(Event.KIND, Event.class).get(0);
    assertThat(e.count()).isEqualTo(2);
    assertThat(e.firstTimestamp()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(e.firstTimestamp()).isEqualTo(pv.metadata().creationTimestamp());
    assertThat(e.lastTimestamp()).contains(Instant.parse("2026-01-01T00:00:02Z"));
  }
}

package io.volumekit.core.runtime;

import static io.volumekit.core.Fixtures.sc;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.storage.StorageClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A decision whose write fails is dropped as a whole and retried with backoff. */
class DecisionAtomicityTest {

  /** Creates the StorageClass it reconciles again (AlreadyExists) and reports an event about it. */
  private static final class FailingWriter implements Controller {
    int reconciles;

    @Override
    public String name() {
      return "failing-writer";
    }

    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
      if (change.kind().equals(StorageClass.KIND) && change.after().isPresent()) {
        enqueue.accept(change.key());
      }
    }

    @Override
    public Decision reconcile(ClusterState state, ObjectKey key) {
      reconciles++;
      StorageClass stored = state.get(key, StorageClass.class).orElseThrow();
      return Decision.builder()
          .create(stored.withMetadata(stored.metadata().withResourceVersion(java.util.Optional.empty())))
          .event(EventRecord.normal("failing-writer", key, "Written", "the class was written"))
          .enqueue(ObjectKey.cluster(StorageClass.KIND, "other"))
          .build();
    }
  }

  @Test
  void aFailedWriteDropsTheDecisionsEventsAndRequeuesTheKey() {
    FailingWriter c = new FailingWriter();
    List<String> trace = new ArrayList<>();
    VolumeKit kit = VolumeKit.builder().deterministic(1).controller(c).trace(trace::add).build();
    kit.apply(sc("fast"));

    kit.runtime().runUntilIdle();

    ObjectKey key = ObjectKey.cluster(StorageClass.KIND, "fast");
    assertThat(c.reconciles).as("the enqueued key of a failed decision is dropped too").isEqualTo(1);
    assertThat(kit.events()).isEmpty();
    assertThat(trace).anyMatch(l -> l.contains("write-failed failing-writer " + key));
    assertThat(kit.runtime().pendingTimers()).containsExactly("500ms failing-writer " + key);

    // The retry decides again, fails again, backs off longer; still no event.
    SettleResult r = kit.settle(Duration.ofSeconds(2));
    assertThat(c.reconciles).isEqualTo(3); // at 0.5 s and 1.5 s
    assertThat(kit.events()).isEmpty();
    assertThat(r.pendingTimers()).isEqualTo(1);
  }
}

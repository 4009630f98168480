package io.volumekit.core.store;

import io.volumekit.core.Admissions;
import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.runtime.ManualClock;
import io.volumekit.core.key.Change;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.meta.ApiObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** API-server write semantics of the in-memory store. */
class InMemoryStoreTest {

  final ManualClock clock = new ManualClock();
  final InMemoryStore store = new InMemoryStore(io.volumekit.core.state.ClusterState.empty(), clock,
      Ids.seeded(1), Admissions.defaults());

  @Test
  void createAssignsUidVersionTimestampsAndThePvPhase() {
    ApiObject pv = store.create(pv("pv1", "1Gi"));
    assertThat(pv.metadata().uid()).isPresent();
    assertThat(pv.metadata().resourceVersion()).contains("1");
    assertThat(pv.metadata().generation()).isEqualTo(1);
    assertThat(pv.metadata().creationTimestamp()).contains(clock.instant());
    assertThat(((PersistentVolume) pv).phase()).isEqualTo("Pending");
    assertThat(pv.metadata().finalizers()).containsExactly("kubernetes.io/pv-protection");
    assertThatThrownBy(() -> store.create(pv("pv1", "1Gi"))).isInstanceOf(AlreadyExistsException.class)
        .hasMessage("persistentvolumes \"pv1\" already exists");
  }

  @Test
  void updateChecksTheVersionBumpsItAndSkipsNoOps() {
    PersistentVolume pv = (PersistentVolume) store.create(pv("pv1", "1Gi"));
    store.drainChanges();
    PersistentVolume same = (PersistentVolume) store.update(pv);
    assertThat(same.metadata().resourceVersion()).isEqualTo(pv.metadata().resourceVersion());
    assertThat(store.drainChanges()).isEmpty();
    PersistentVolume bigger = (PersistentVolume) store.update(withLabels(pv, "a", "b"));
    assertThat(bigger.metadata().resourceVersion()).contains("2");
    assertThatThrownBy(() -> store.update(withLabels(pv, "c", "d"))).isInstanceOf(ConflictException.class);
    PersistentVolume specChange = (PersistentVolume) store.update(withPolicy(bigger, "Delete"));
    assertThat(specChange.metadata().generation()).isEqualTo(2);
  }

  @Test
  void aPhaseChangeStampsTheTransitionTime() {
    PersistentVolume pv = (PersistentVolume) store.create(pv("pv1", "1Gi"));
    clock.advance(Duration.ofMinutes(5));
    PersistentVolume avail = (PersistentVolume) store.update(
        pv.withStatus(pv.status().withPhase(Optional.of("Available"))));
    assertThat(avail.status().lastPhaseTransitionTime()).contains(clock.instant());
  }

  @Test
  void deleteWaitsForFinalizersThenRemoves() {
    PersistentVolume pv = (PersistentVolume) store.create(pv("pv1", "1Gi"));
    Optional<ApiObject> deleting = store.delete(fixturesKey(), Optional.empty());
    assertThat(deleting).isPresent();
    assertThat(deleting.get().metadata().deletionTimestamp()).isPresent();
    store.drainChanges();
    ApiObject d = deleting.get();
    store.update(d.withMetadata(d.metadata().withoutFinalizer("kubernetes.io/pv-protection")));
    List<Change> changes = store.drainChanges();
    assertThat(changes).extracting(Change::type).containsExactly(Change.Type.DELETED);
    assertThat(store.state().contains(fixturesKey())).isFalse();
    assertThatThrownBy(() -> store.delete(fixturesKey(), Optional.empty())).isInstanceOf(NotFoundException.class);
    assertThat(pv.metadata().uid()).isPresent();
  }

  @Test
  void aUidPreconditionProtectsAgainstDeletingAReplacement() {
    store.create(pv("pv1", "1Gi"));
    assertThatThrownBy(() -> store.delete(fixturesKey(), Optional.of("other-uid")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("Precondition failed");
  }

  private static io.volumekit.core.key.ObjectKey fixturesKey() {
    return pvKey("pv1");
  }
}

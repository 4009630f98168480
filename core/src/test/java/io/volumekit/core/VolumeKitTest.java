package io.volumekit.core;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.key.Change;
import io.volumekit.core.store.ConflictException;
import io.volumekit.core.store.NotFoundException;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.validation.InvalidObjectException;
import io.volumekit.model.meta.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The public API: apply/validate, generateName, conflicts, watch, events. */
class VolumeKitTest {

  @Test
  void refusesAnInvalidClaimWithTheApiServerMessageAndChangesNothing() {
    Scenario s = new Scenario();
    long rv = s.kit.state().resourceVersion();
    PersistentVolumeClaim bad = withModes(pvc("data", "1Gi"));
    assertThatThrownBy(() -> s.kit.apply(bad))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("The PersistentVolumeClaim \"data\" is invalid: spec.accessModes: Required value");
    assertThat(s.kit.state().resourceVersion()).isEqualTo(rv);
    assertThat(s.hasPvc("data")).isFalse();
  }

  @Test
  void theRuntimesSubmitTakesTheSameValidatingPathAsApply() {
    Scenario s = new Scenario();
    long rv = s.kit.state().resourceVersion();
    PersistentVolumeClaim bad = withModes(pvc("data", "1Gi"));
    assertThatThrownBy(() -> s.kit.runtime().submit(new io.volumekit.core.event.Event.Applied(bad)))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("The PersistentVolumeClaim \"data\" is invalid: spec.accessModes: Required value");
    assertThat(s.kit.state().resourceVersion()).isEqualTo(rv);
    assertThat(s.hasPvc("data")).isFalse();

    // An update through submit is checked with the update rules against the stored object.
    s.apply(pv("pv1", "1Gi"), withClass(pvc("data", "1Gi"), ""));
    s.settle();
    PersistentVolumeClaim stored = s.pvc("data");
    long before = s.kit.state().resourceVersion();
    assertThatThrownBy(() -> s.kit.runtime().submit(new io.volumekit.core.event.Event.Applied(
            stored.withSpec(stored.spec().withAccessModes(ImmutableList.of(RWX))))))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("spec: Forbidden");
    assertThat(s.kit.state().resourceVersion()).isEqualTo(before);
    s.assertBound("data", "pv1");
  }

  @Test
  void refusesChangingAnImmutableClaimSpec() {
    Scenario s = new Scenario();
    s.apply(pv("pv1", "1Gi"), withClass(pvc("data", "1Gi"), ""));
    s.settle();
    assertThatThrownBy(() -> s.kit.apply(withModes(withClass(pvc("data", "1Gi"), ""), RWX)))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("spec: Forbidden");
    s.assertBound("data", "pv1");
  }

  @Test
  void reapplyingAManifestKeepsWhatTheControlPlaneOwns() {
    Scenario s = new Scenario();
    s.apply(pv("pv1", "1Gi"), withClass(pvc("data", "1Gi"), ""));
    s.settle();
    s.apply(withClass(pvc("data", "1Gi"), ""), pv("pv1", "1Gi"));
    s.settle();
    s.assertBound("data", "pv1");
    assertThat(s.pvc("data").metadata().finalizers()).isNotEmpty();
  }

  @Test
  void generateNameGivesAFreshName() {
    Scenario s = new Scenario();
    PersistentVolumeClaim c = withClass(pvc("x", "1Gi"), "");
    c = c.withMetadata(ObjectMetaBuilder.builder(c.metadata()).name("").generateName(Optional.of("data-")).build());
    var stored = s.kit.apply(c);
    assertThat(stored.metadata().name()).startsWith("data-").hasSize("data-".length() + 5);
    assertThat(stored.metadata().uid()).isPresent();
    assertThat(stored.metadata().creationTimestamp()).isPresent();
  }

  @Test
  void aStaleUpdateIsAConflict() {
    Scenario s = new Scenario();
    s.apply(pv("pv1", "1Gi"));
    var first = s.pv("pv1");
    s.settle(); // the controllers update the PV (phase Available)
    var stale = first.withMetadata(first.metadata().withLabels(com.google.common.collect.ImmutableMap.of("a", "b")));
    assertThatThrownBy(() -> s.kit.apply(stale)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("the object has been modified");
  }

  @Test
  void deletingAMissingObjectIsNotFound() {
    Scenario s = new Scenario();
    assertThatThrownBy(() -> s.kit.delete(pvcKey("nope"))).isInstanceOf(NotFoundException.class)
        .hasMessage("persistentvolumeclaims \"nope\" not found");
  }

  @Test
  void watchersSeeEveryCommittedChange() {
    Scenario s = new Scenario();
    List<Change> seen = new ArrayList<>();
    s.kit.watch(seen::add);
    s.apply(pv("pv1", "1Gi"), withClass(pvc("data", "1Gi"), ""));
    s.settle();
    s.delete(pvcKey("data"));
    s.settle();
    assertThat(seen).extracting(c -> c.type() + " " + c.key())
        .contains("ADDED PersistentVolume/pv1", "ADDED PersistentVolumeClaim/default/data",
            "DELETED PersistentVolumeClaim/default/data");
  }

  @Test
  void repeatedEventsAreCountedNotDuplicated() {
    Scenario s = new Scenario();
    s.apply(withClass(pvc("data", "1Gi"), ""));
    s.settle();
    s.apply(pv("small", "100Mi"));
    s.settle();
    var events = s.kit.events(pvcKey("data"));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).count()).isGreaterThan(1);
    assertThat(events.get(0).involvedObject().uid()).isPresent();
  }
}

package io.volumekit.core.runtime;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.pvcKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.controller.ChangeFacts;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The runtime shows a change whose kind and type a controller declared {@link WatchedKinds#when}
 * facts for only when one of them holds, tests each fact at most once per change for all
 * controllers, and leaves the other types and kinds alone.
 */
class ChangeFactRoutingTest {

  /** Tests so far of {@link #LABELLED}. */
  private static final int[] TESTS = {0};
  /** The claim after the change has the label "watched" (counting its tests). */
  private static final ChangeFact LABELLED = ChangeFact.of("labelled", f -> {
    TESTS[0]++;
    return f.change().after().flatMap(o -> o.metadata().label("watched")).isPresent();
  });

  /** Records the changes it is shown; reconciles nothing. */
  private record Recorder(String name, WatchedKinds watches, List<String> seen) implements Controller {
    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
      boolean label = change.after().flatMap(o -> o.metadata().label("watched")).isPresent();
      seen.add(change.type() + " " + change.key() + (label ? " labelled" : ""));
    }

    @Override
    public Decision reconcile(ClusterState state, ObjectKey key) {
      return Decision.none();
    }
  }

  private static PersistentVolumeClaim labelled(PersistentVolumeClaim c, String value) {
    return c.withMetadata(c.metadata().withLabels(com.google.common.collect.ImmutableMap.of("watched", value)));
  }

  @Test
  void aModificationIsShownOnlyWhenADeclaredFactHoldsAndEachFactIsTestedOncePerChange() {
    WatchedKinds declared = WatchedKinds.of(PersistentVolumeClaim.KIND)
        .when(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, LABELLED);
    Recorder one = new Recorder("one", declared, new ArrayList<>());
    Recorder two = new Recorder("two", declared, new ArrayList<>());
    Recorder all = new Recorder("all", WatchedKinds.of(PersistentVolumeClaim.KIND), new ArrayList<>());
    VolumeKit kit = VolumeKit.builder().deterministic(1).controller(one).controller(two).controller(all).build();
    kit.apply(pvc("c", "1Gi"));
    kit.settle();
    int before = TESTS[0];
    PersistentVolumeClaim c = kit.state().get(pvcKey("c"), PersistentVolumeClaim.class).orElseThrow();
    kit.apply(c.withMetadata(c.metadata().withAnnotation("note", "unlabelled")));
    kit.settle();
    assertThat(TESTS[0] - before).as("one test for both controllers").isEqualTo(1);
    c = kit.state().get(pvcKey("c"), PersistentVolumeClaim.class).orElseThrow();
    kit.apply(labelled(c, "yes"));
    kit.settle();
    kit.delete(pvcKey("c"));
    kit.settle();

    // ADDED and DELETED carry no facts; of the modifications (the user's two, pvc-protection's
    // finalizer, the deletion's) only those of the labelled claim are shown
    assertThat(one.seen()).containsExactlyElementsOf(all.seen().stream()
        .filter(s -> !s.startsWith("MODIFIED") || s.endsWith(" labelled")).toList());
    assertThat(one.seen()).contains("MODIFIED " + pvcKey("c") + " labelled", "DELETED " + pvcKey("c"));
    assertThat(all.seen()).contains("MODIFIED " + pvcKey("c")).hasSizeGreaterThan(one.seen().size());
    assertThat(two.seen()).isEqualTo(one.seen());
  }

  @Test
  void factsAreCachedPerChangeAndDiffsCompareParts() {
    PersistentVolumeClaim a = pvc("c", "1Gi");
    Change modified = new Change(pvcKey("c"), Optional.of(a), Optional.of(labelled(a, "x")));
    ChangeFacts facts = new ChangeFacts(ClusterState.empty(), modified);
    int before = TESTS[0];
    assertThat(facts.holds(LABELLED)).isTrue();
    assertThat(facts.holds(LABELLED)).isTrue();
    assertThat(TESTS[0] - before).isEqualTo(1);
    assertThat(facts.holds(ChangeFact.FINALIZERS)).as("same finalizers").isFalse();
    assertThat(facts.holds(ChangeFact.CLAIM_USED)).as("no pod").isFalse();
    assertThat(facts.claimKey()).contains(pvcKey("c"));
    Change finalized = new Change(pvcKey("c"), Optional.of(a),
        Optional.of(a.withMetadata(a.metadata().withFinalizer("f"))));
    assertThat(new ChangeFacts(ClusterState.empty(), finalized).holds(ChangeFact.FINALIZERS)).isTrue();
    Change added = new Change(pvcKey("c"), Optional.empty(), Optional.of(a));
    assertThat(new ChangeFacts(ClusterState.empty(), added).holds(ChangeFact.FINALIZERS)).as("added").isTrue();
    // reset for another change: every answer is asked again
    assertThat(facts.reset(ClusterState.empty(), added).holds(ChangeFact.FINALIZERS)).isTrue();
    assertThat(facts.holds(LABELLED)).isFalse();
    assertThat(TESTS[0] - before).isEqualTo(2);
  }

  @Test
  void declarationsWithFactsAreValuesAndCheckedWhenMade() {
    WatchedKinds w = WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND)
        .only(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, Change.Type.DELETED)
        .when(PersistentVolumeClaim.KIND, LABELLED);
    assertThat(w.conditions(PersistentVolumeClaim.KIND, Change.Type.MODIFIED)).containsExactly(LABELLED);
    assertThat(w.conditions(PersistentVolumeClaim.KIND, Change.Type.DELETED)).containsExactly(LABELLED);
    assertThat(w.conditions(Pod.KIND, Change.Type.MODIFIED)).isEmpty();
    assertThat(w).isEqualTo(WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND)
        .only(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, Change.Type.DELETED)
        .when(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, LABELLED)
        .when(PersistentVolumeClaim.KIND, Change.Type.DELETED, LABELLED));
    assertThat(w.toString()).contains("PersistentVolumeClaim MODIFIED when [labelled]");
    assertThatThrownBy(() -> w.when(PersistentVolumeClaim.KIND, Change.Type.ADDED, LABELLED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not shown");
    assertThatThrownBy(() -> w.when("Secret", Change.Type.MODIFIED, LABELLED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not watched");
    assertThatThrownBy(() -> w.when(Pod.KIND, Change.Type.MODIFIED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no fact");
  }
}

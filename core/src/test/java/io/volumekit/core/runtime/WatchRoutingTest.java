package io.volumekit.core.runtime;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Changes reach only the controllers that watch their kind, and routing changes no outcome. */
class WatchRoutingTest {

  /** Records the changes it is shown; reconciles nothing. */
  private static final class Recorder implements Controller {
    final String name;
    final WatchedKinds kinds;
    final List<String> seen = new ArrayList<>();
    final List<String> changes = new ArrayList<>();

    Recorder(String name, WatchedKinds kinds) {
      this.name = name;
      this.kinds = kinds;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public WatchedKinds watches() {
      return kinds;
    }

    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
      seen.add(change.kind());
      changes.add(change.type() + " " + change.key());
    }

    @Override
    public Decision reconcile(ClusterState state, ObjectKey key) {
      return Decision.none();
    }
  }

  /**
   * Declares every kind but forwards to the wrapped controller; records a change its declaration
   * does not show (kind, type, owners, facts) that made the wrapped controller's watch enqueue something
   * (routing would have lost it).
   */
  private static final class Unrouted implements Controller {
    final Controller delegate;
    final List<String> missed;

    Unrouted(Controller delegate, List<String> missed) {
      this.delegate = delegate;
      this.missed = missed;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
      boolean declared = delegate.watches().includes(change, new io.volumekit.core.controller.ChangeFacts(state, change));
      delegate.watch(state, change, k -> {
        if (!declared) {
          missed.add(delegate.name() + " " + change.type() + " " + change.kind());
        }
        enqueue.accept(k);
      });
    }

    @Override
    public Decision reconcile(ClusterState state, ObjectKey key) {
      return delegate.reconcile(state, key);
    }
  }

  @Test
  void aChangeReachesOnlyTheControllersWatchingItsKind() {
    Recorder pods = new Recorder("pods-only", WatchedKinds.of(Pod.KIND));
    Recorder everything = new Recorder("everything", WatchedKinds.all());
    VolumeKit kit = VolumeKit.builder().deterministic(1).controller(pods).controller(everything).build();
    kit.apply(pvc("c", "1Gi"));
    kit.apply(pod("p", "", "c"));
    kit.settle();

    assertThat(pods.seen).isNotEmpty().allMatch(Pod.KIND::equals);
    assertThat(everything.seen).contains(Pod.KIND, PersistentVolumeClaim.KIND);
    assertThat(everything.seen.stream().filter(Pod.KIND::equals).count()).isEqualTo(pods.seen.size());
  }

  @Test
  void aChangeReachesAControllerOnlyForTheTypesAndOwnersItDeclares() {
    Recorder typed = new Recorder("typed", WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND)
        .only(PersistentVolumeClaim.KIND, Change.Type.DELETED)
        .ownedOnly(Pod.KIND, Change.Type.ADDED, Change.Type.MODIFIED));
    VolumeKit kit = VolumeKit.builder().deterministic(1).controller(typed).build();
    kit.apply(pvc("c", "1Gi"));
    Pod owned = pod("owned", "", "c");
    kit.apply(owned.withMetadata(owned.metadata().withOwnerReferences(com.google.common.collect.ImmutableList.of(
        new io.volumekit.model.meta.OwnerReference("v1", PersistentVolumeClaim.KIND, "c", "uid-of-no-one",
            java.util.Optional.empty(), java.util.Optional.empty())))));
    kit.apply(pod("plain", "", "c"));
    kit.settle();
    kit.delete(ObjectKey.namespaced(Pod.KIND, NS, "plain"));
    kit.delete(pvcKey("c"));
    kit.settle();

    // The owned pod's addition, and its deletion by the garbage collector (its owner never
    // existed); the plain pod's deletion only; the claim's deletion only (kept by pvc-protection
    // until its pods went, then removed).
    assertThat(typed.changes).contains("ADDED " + ObjectKey.namespaced(Pod.KIND, NS, "owned"),
        "DELETED " + ObjectKey.namespaced(Pod.KIND, NS, "owned"), "DELETED " + ObjectKey.namespaced(Pod.KIND, NS, "plain"),
        "DELETED " + pvcKey("c"));
    assertThat(typed.changes).noneMatch(c -> c.endsWith(" " + ObjectKey.namespaced(Pod.KIND, NS, "plain"))
        && !c.startsWith("DELETED "));
    assertThat(typed.changes).noneMatch(c -> c.endsWith(" " + pvcKey("c")) && !c.startsWith("DELETED "));
  }

  @Test
  void declarationsSayWhichChangesTheyShow() {
    WatchedKinds w = WatchedKinds.all().ownedOnly(Change.Type.ADDED, Change.Type.MODIFIED)
        .only(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, Change.Type.DELETED);
    assertThat(w.includes("AnyKind", Change.Type.ADDED)).isTrue();
    assertThat(w.ownedOnlyTypes("AnyKind")).containsExactlyInAnyOrder(Change.Type.ADDED, Change.Type.MODIFIED);
    assertThat(w.includes(PersistentVolumeClaim.KIND, Change.Type.ADDED)).isFalse();
    assertThat(w.ownedOnlyTypes(PersistentVolumeClaim.KIND)).containsExactly(Change.Type.MODIFIED);
    assertThat(w.includes(PersistentVolumeClaim.KIND)).isTrue();
    Change added = new Change(pvcKey("c"), java.util.Optional.empty(), java.util.Optional.of(pvc("c", "1Gi")));
    Change deleted = new Change(pvcKey("c"), java.util.Optional.of(pvc("c", "1Gi")), java.util.Optional.empty());
    Change modified = new Change(pvcKey("c"), java.util.Optional.of(pvc("c", "1Gi")), java.util.Optional.of(pvc("c", "2Gi")));
    assertThat(w.includes(added)).isFalse();
    assertThat(w.includes(deleted)).isTrue();
    assertThat(w.includes(modified)).as("no owner references").isFalse();
    assertThat(WatchedKinds.of(Pod.KIND).includes(PersistentVolumeClaim.KIND)).isFalse();
    assertThat(WatchedKinds.of(Pod.KIND).includes(added)).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WatchedKinds.of(Pod.KIND).only(PersistentVolumeClaim.KIND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not watched");
    assertThat(w).isEqualTo(WatchedKinds.all().ownedOnly(Change.Type.ADDED, Change.Type.MODIFIED)
        .only(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, Change.Type.DELETED));
    assertThat(w.toString()).contains("PersistentVolumeClaim=[MODIFIED(owned),DELETED]");
  }

  @Test
  void theDefaultControllersDeclareEveryKindTheyReactToAndRoutingChangesNoTrace() {
    List<String> missed = new ArrayList<>();
    List<String> routed = lifecycle(false, missed);
    List<String> unrouted = lifecycle(true, missed);

    assertThat(missed).isEmpty();
    assertThat(routed).isEqualTo(unrouted);
  }

  /** Static binding, provisioning, WaitForFirstConsumer, attach, mount, deletion, a node going. */
  private static List<String> lifecycle(boolean everyControllerSeesEverything, List<String> missed) {
    List<String> trace = new ArrayList<>();
    VolumeKit.Builder b = VolumeKit.builder().deterministic(3).driver(DRIVER, new InMemoryCsiDriver())
        .node("node-1").node("node-2").trace(trace::add);
    if (everyControllerSeesEverything) {
      b.controllers(cs -> cs.stream().map(c -> (Controller) new Unrouted(c, missed)).collect(Collectors.toList()));
    }
    VolumeKit kit = b.build();
    kit.apply(pv("static", "1Gi"));
    kit.apply(withClass(pvc("bound-static", "1Gi"), ""));
    kit.apply(sc("fast"));
    kit.apply(wffc(sc("late")));
    kit.apply(withClass(pvc("dyn", "2Gi"), "fast"));
    kit.apply(withClass(pvc("delayed", "1Gi"), "late"));
    kit.apply(pod("a", "", "dyn", "bound-static"));
    kit.apply(pod("b", "", "delayed"));
    kit.settle();
    kit.delete(ObjectKey.namespaced(Pod.KIND, NS, "a"));
    kit.delete(pvcKey("dyn"));
    kit.settle();
    kit.delete(ObjectKey.namespaced(Pod.KIND, NS, "b"));
    kit.delete(pvcKey("delayed"));
    kit.delete(pvcKey("bound-static"));
    kit.settle();
    return trace;
  }
}

package io.volumekit.core.scheduling;

import static io.volumekit.core.Fixtures.pod;
import static io.volumekit.core.Fixtures.preBound;
import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.wffc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withVolumeName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.Write;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.NodeKit;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeSelector;
import io.volumekit.model.core.NodeSelectorRequirement;
import io.volumekit.model.core.NodeSelectorTerm;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodConditionBuilder;
import io.volumekit.model.core.VolumeNodeAffinity;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's watch skips, of a claim change that only sets {@code selected-node} (its own
 * PreBind write) and of a volume created pre-bound to a claim (the provisioner's), the pending pods
 * that are not recorded unschedulable: over random states (nodes,
 * some unschedulable; WaitForFirstConsumer classes with and without a provisioner and an
 * Immediate one; static volumes of several sizes, pre-bound to the claim or not, with node
 * affinity or not; a second claim, bound or not; pods with no scheduling condition, another
 * message, or the one their sync records), every pending pod the watch does not queue either had
 * work before the change (it is queued already) or has none after it.
 */
class SelectedNodeWatchPropertyTest {

  private static final String UID = "uid-c1";

  @Test
  void aSkippedPodHadWorkBeforeOrHasNoneAfter() {
    Scheduler scheduler = new Scheduler();
    long[] counts = new long[2]; // queued, skipped
    qt().withFixedSeed(0x5E1EC7EDL).withExamples(10000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ClusterState s = state(r, scheduler, false);
      PersistentVolumeClaim before = s.get(claimKey("c1"), PersistentVolumeClaim.class).orElseThrow();
      PersistentVolumeClaim after = before.withMetadata(
          before.metadata().withAnnotation(Annotations.SELECTED_NODE, "node-" + (1 + r.nextInt(3))));
      if (r.nextInt(5) == 0) { // another writer's annotation too: not the PreBind write alone
        after = after.withMetadata(after.metadata().withAnnotation("example.com/other", "x"));
      }
      check(scheduler, s, new Change(claimKey("c1"), Optional.of(before), Optional.of(after)), counts);
    });
    // both branches ran: pods the watch queued, and pods it skipped
    assertThat(counts[0]).isPositive();
    assertThat(counts[1]).isPositive();
  }

  /**
   * The same for a volume created pre-bound to the claim (the provisioner's, or a user's), with
   * node affinity or not, while the claim has a selected node or not.
   */
  @Test
  void aPodSkippedOnAVolumeForItsClaimHadWorkBeforeOrHasNoneAfter() {
    Scheduler scheduler = new Scheduler();
    long[] counts = new long[2];
    qt().withFixedSeed(0x5E1EC7EEL).withExamples(10000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ClusterState s = state(r, scheduler, true);
      PersistentVolume made = volume(r, "pv-new");
      made = r.nextInt(4) == 0 ? preBound(made, "c1", "") : preBound(made, "c1", UID);
      check(scheduler, s, new Change(ObjectKey.of(made), Optional.empty(), Optional.of(made)), counts);
    });
    assertThat(counts[0]).isPositive();
    assertThat(counts[1]).isPositive();
  }

  /**
   * Applies the change to the state and asks the watch; every pending pod it does not queue and
   * whose sync had nothing to do before the change must have nothing to do after it.
   */
  private static void check(Scheduler scheduler, ClusterState s, Change change, long[] counts) {
    ClusterState next = s.put(change.after().orElseThrow());
    Set<ObjectKey> keys = new HashSet<>();
    scheduler.watch(next, change, keys::add);
    for (String p : List.of("p1", "p2")) {
      ObjectKey k = ObjectKey.namespaced(Pod.KIND, "default", p);
      if (next.get(k).isEmpty()) {
        continue;
      }
      if (keys.contains(k)) {
        counts[0]++;
        continue;
      }
      counts[1]++;
      if (scheduler.reconcile(s, k).isEmpty()) {
        assertThat(scheduler.reconcile(next, k).isEmpty())
            .as("%s skipped on %s but decides %s", k, change.after(), scheduler.reconcile(next, k))
            .isTrue();
      }
    }
  }

  /** A static volume of a random size and class, with node affinity to one node or none. */
  private static PersistentVolume volume(Random r, String name) {
    PersistentVolume v = withClass(pv(name, r.nextBoolean() ? "2Gi" : "8Gi"), r.nextBoolean() ? "static" : "late");
    if (r.nextBoolean()) {
      NodeSelectorRequirement host = new NodeSelectorRequirement("kubernetes.io/hostname", "In",
          ImmutableList.of("node-" + (1 + r.nextInt(3))));
      NodeSelector only = new NodeSelector(ImmutableList.of(new NodeSelectorTerm(ImmutableList.of(host), ImmutableList.of())));
      v = v.withSpec(v.spec().withNodeAffinity(Optional.of(new VolumeNodeAffinity(Optional.of(only)))));
    }
    return v;
  }

  private static ObjectKey claimKey(String name) {
    return ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", name);
  }

  /** Nodes, classes, claim c1 (with a selected node if {@code selecting} says so, at random), maybe c2, volumes, pods. */
  private static ClusterState state(Random r, Scheduler scheduler, boolean selecting) {
    ClusterState s = ClusterState.empty();
    int nodes = 1 + r.nextInt(3);
    for (int i = 1; i <= nodes; i++) {
      Node n = NodeKit.node("node-" + i);
      if (r.nextInt(5) == 0) {
        n = n.withSpec(n.spec().withUnschedulable(Optional.of(true)));
      }
      s = s.put(n);
    }
    s = s.put(wffc(sc("late"))).put(wffc(sc("static", StorageClass.NO_PROVISIONER))).put(sc("now"));
    String[] classes = {"late", "static", "now", "gone"};
    PersistentVolumeClaim c1 = withClass(pvc("c1", r.nextBoolean() ? "1Gi" : "5Gi"), classes[r.nextInt(classes.length)]);
    c1 = c1.withMetadata(c1.metadata().withUid(Optional.of(UID)));
    if (selecting && r.nextInt(3) != 0) {
      c1 = c1.withMetadata(c1.metadata().withAnnotation(Annotations.SELECTED_NODE, "node-" + (1 + r.nextInt(3))));
    }
    s = s.put(c1);
    List<String> claims = new ArrayList<>(List.of("c1"));
    if (r.nextBoolean()) {
      PersistentVolumeClaim c2 = withClass(pvc("c2", "1Gi"), classes[r.nextInt(2)]);
      if (r.nextBoolean()) {
        c2 = withVolumeName(c2, "pv-0");
        c2 = c2.withMetadata(c2.metadata().withAnnotation(Annotations.BIND_COMPLETED, Annotations.YES));
      }
      s = s.put(c2);
      claims.add("c2");
    }
    int volumes = r.nextInt(4);
    for (int i = 0; i < volumes; i++) {
      PersistentVolume v = volume(r, "pv-" + i);
      switch (r.nextInt(4)) {
        case 0 -> v = preBound(v, "c1", UID);
        case 1 -> v = preBound(v, "c1", "");
        case 2 -> v = preBound(v, "c2", "");
        default -> { }
      }
      s = s.put(v);
    }
    int pods = 1 + r.nextInt(2);
    for (int i = 1; i <= pods; i++) {
      Pod p = pod("p" + i, "", claims.toArray(String[]::new));
      switch (r.nextInt(3)) {
        case 0 -> p = p.withStatus(p.status().withConditions(ImmutableList.of(PodConditionBuilder.builder()
            .type("PodScheduled").status("False").reason(Optional.of("Unschedulable"))
            .message(Optional.of("0/9 nodes are available.")).build())));
        case 1 -> p = recorded(scheduler, s.put(p), p);
        default -> { }
      }
      s = s.put(p);
    }
    return s;
  }

  /** The pod as its sync leaves it when that sync marks it unschedulable (the message recorded). */
  private static Pod recorded(Scheduler scheduler, ClusterState s, Pod p) {
    Decision d = scheduler.reconcile(s, ObjectKey.of(p));
    for (Write w : d.writes()) {
      if (w instanceof Write.Update u && u.object() instanceof Pod marked && marked.spec().nodeName().isEmpty()) {
        return marked;
      }
    }
    return p;
  }
}

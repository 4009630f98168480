package io.volumekit.core.mount;

import static io.volumekit.core.NodeStates.claim;
import static io.volumekit.core.NodeStates.inUse;
import static io.volumekit.core.NodeStates.node;
import static io.volumekit.core.NodeStates.pod;
import static io.volumekit.core.NodeStates.HOST;
import static io.volumekit.core.NodeStates.PV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Device staging's claim watch ({@link DeviceStagingWatch#sameClaimForStaging}): a claim change it
 * queues no device for leaves the device's decision as it was. Over random updates of the claim
 * that the store accepts (labels, annotations, finalizers, status, owner references, several at
 * once, and the binder setting the volume name of a claim that had none: a set volume name is
 * immutable) in the states of the staging decision table (a pod waiting for staging, staged and
 * handed over, the last pod gone, a pod on another node), the decision for the device in the state
 * after the update equals the one in the state before whenever the watch queued nothing; and some
 * updates are queued (so the check is not vacuous).
 */
class DeviceStagingClaimWatchPropertyTest {

  private static final Node NODE = node(DeviceStagingDecisionTest.NODE);

  /** States with the bound claim, from the decision table: the device has work or none in each. */
  private static final List<Supplier<ClusterState>> STATES = List.of(
      () -> DeviceStagingDecisionTest.base(NODE).put(pod("web", DeviceStagingDecisionTest.NODE)),
      () -> DeviceStagingDecisionTest.base(inUse(NODE, PV)).put(pod("web", DeviceStagingDecisionTest.NODE))
          .withOperation(DeviceStagingDecisionTest.staged()),
      () -> DeviceStagingDecisionTest.base(inUse(NODE, PV)).withOperation(DeviceStagingDecisionTest.staged()),
      () -> DeviceStagingDecisionTest.base(NODE).put(pod("web", "node-2")));

  /** One edit of the claim, by number (its volume name is the binder's: see {@code binds}). */
  private static PersistentVolumeClaim edit(PersistentVolumeClaim c, int edit) {
    var m = c.metadata();
    return switch (edit) {
      case 0 -> c.withMetadata(m.withLabels(ImmutableMap.of("app", "web")));
      case 1 -> c.withMetadata(m.withAnnotation("example.com/note", "x"));
      case 2 -> c.withMetadata(m.withFinalizer("example.com/hold"));
      case 3 -> c.withStatus(c.status().withPhase(Optional.of("Lost")));
      default -> c.withMetadata(m.withOwnerReferences(ImmutableList.of(
          new OwnerReference("v1", "Pod", "web", "uid-web", Optional.of(true), Optional.of(true)))));
    };
  }

  @Test
  void aClaimChangeThatQueuesNoDeviceLeavesItsDecisionAsItWas() {
    DeviceStagingController staging = new DeviceStagingController(HOST);
    ObjectKey device = DeviceStagingDecisionTest.DEVICE.objectKey();
    long[] queuedChanges = {0};
    long[] skippedChanges = {0};
    qt().withFixedSeed(0x5EED_C1A1L).withExamples(300)
        .forAll(integers().between(0, STATES.size() - 1), lists().of(integers().between(0, 4)).ofSizeBetween(0, 3),
            booleans().all())
        .checkAssert((which, edits, binds) -> {
          PersistentVolumeClaim bound = claim();
          // binds: the update is the binder's, setting the volume name of the claim that had none
          PersistentVolumeClaim old = binds ? bound.withSpec(bound.spec().withVolumeName(Optional.empty())) : bound;
          ClusterState before = STATES.get(which).get().put(old);
          PersistentVolumeClaim now = bound;
          for (int e : edits) {
            now = edit(now, e);
          }
          ClusterState after = before.put(now);
          List<ObjectKey> queued = new ArrayList<>();
          staging.watch(after, new Change(ObjectKey.of(now), Optional.of(old), Optional.of(now)), queued::add);
          if (queued.contains(device)) {
            queuedChanges[0]++;
            return;
          }
          skippedChanges[0]++;
          Decision was = staging.reconcile(before, device);
          assertThat(staging.reconcile(after, device)).as("state %d, edits %s, binds %s", which, edits, binds)
              .isEqualTo(was);
        });
    assertThat(queuedChanges[0]).as("edits that queue the device").isPositive();
    assertThat(skippedChanges[0]).as("edits that queue nothing").isPositive();
  }
}

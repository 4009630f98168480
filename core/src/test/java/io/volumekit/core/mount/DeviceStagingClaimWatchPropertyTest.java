package io.volumekit.core.mount;

import static io.volumekit.core.NodeStates.HOST;
import static io.volumekit.core.NodeStates.PV;
import static io.volumekit.core.NodeStates.attachment;
import static io.volumekit.core.NodeStates.claim;
import static io.volumekit.core.NodeStates.csiNode;
import static io.volumekit.core.NodeStates.inUse;
import static io.volumekit.core.NodeStates.node;
import static io.volumekit.core.NodeStates.pod;
import static io.volumekit.core.NodeStates.pv;
import static io.volumekit.core.NodeStates.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.EphemeralVolumeSourceBuilder;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Device staging's claim watch ({@link DeviceStagingWatch#sameClaimForStaging}): a claim change it
 * queues no device for leaves the device's decision as it was. Over random updates of the claim
 * that the store accepts (labels, annotations, finalizers, status, owner references given or
 * taken, several at once, and the binder setting the volume name of a claim that had none: a set
 * volume name is immutable) in the states of the staging decision table (a pod waiting for
 * staging, staged and handed over, the last pod gone, a pod on another node), for a claim named by
 * the pod and for a pod's ephemeral claim (whose pod counts as a user only while it owns the
 * claim), the decision for the device in the state after the update equals the one in the state
 * before whenever the watch queued nothing; and some updates are queued (so the check is not
 * vacuous). It fails when the filter ignores the volume name or the owners.
 */
class DeviceStagingClaimWatchPropertyTest {

  private static final String NODE = DeviceStagingDecisionTest.NODE;
  private static final Node NODE_1 = node(NODE);
  private static final OwnerReference WEB_OWNS = new OwnerReference("v1", "Pod", "web", "uid-web", Optional.of(true),
      Optional.of(true));

  /** The claim and the states of one case: a claim the pod names, or the pod's ephemeral claim. */
  private record Case(PersistentVolumeClaim claim, List<Function<PersistentVolumeClaim, ClusterState>> states) {}

  /** States with the bound claim (given), from the decision table: the device has work or none in each. */
  private static List<Function<PersistentVolumeClaim, ClusterState>> states(Function<String, Pod> podOn, PersistentVolume pv) {
    return List.of(
        c -> base(NODE_1, pv, c).put(podOn.apply(NODE)),
        c -> base(inUse(NODE_1, PV), pv, c).put(podOn.apply(NODE)).withOperation(DeviceStagingDecisionTest.staged()),
        c -> base(inUse(NODE_1, PV), pv, c).withOperation(DeviceStagingDecisionTest.staged()),
        c -> base(NODE_1, pv, c).put(podOn.apply("node-2")));
  }

  private static ClusterState base(Node node, PersistentVolume pv, PersistentVolumeClaim claim) {
    return state(node, csiNode(NODE), pv, claim, attachment(NODE, true, DeviceStagingDecisionTest.ATTACHED));
  }

  /** Pod {@code web} (uid {@code uid-web}) with the ephemeral volume {@code vol}: its claim is {@code web-vol}. */
  private static Pod ephemeralPod(String node) {
    Pod p = pod("web", node);
    return p.withSpec(p.spec().withVolumes(ImmutableList.of(VolumeBuilder.builder().name("vol")
        .ephemeral(Optional.of(EphemeralVolumeSourceBuilder.builder().build())).build())));
  }

  private static final List<Case> CASES;

  static {
    PersistentVolumeClaim named = claim();
    PersistentVolumeClaim data = claim();
    PersistentVolumeClaim ephemeral = data.withMetadata(new ObjectMeta("web-vol", data.metadata().generateName(),
        data.metadata().namespace(), Optional.of("web-vol-uid"), Optional.empty(), 0, Optional.empty(), Optional.empty(),
        ImmutableMap.of(), ImmutableMap.of(), ImmutableList.of(), ImmutableList.of(WEB_OWNS)));
    PersistentVolume ephemeralPv = pv(AccessModes.READ_WRITE_ONCE);
    ephemeralPv = ephemeralPv.withSpec(ephemeralPv.spec().withClaimRef(Optional.of(Volumes.claimReference(ephemeral))));
    CASES = List.of(
        new Case(named, states(n -> pod("web", n), pv(AccessModes.READ_WRITE_ONCE))),
        new Case(ephemeral, states(DeviceStagingClaimWatchPropertyTest::ephemeralPod, ephemeralPv)));
  }

  /** One edit of the claim, by number (its volume name is the binder's: see {@code binds}). */
  private static PersistentVolumeClaim edit(PersistentVolumeClaim c, int edit) {
    var m = c.metadata();
    return switch (edit) {
      case 0 -> c.withMetadata(m.withLabels(ImmutableMap.of("app", "web")));
      case 1 -> c.withMetadata(m.withAnnotation("example.com/note", "x"));
      case 2 -> c.withMetadata(m.withFinalizer("example.com/hold"));
      case 3 -> c.withStatus(c.status().withPhase(Optional.of("Lost")));
      case 4 -> c.withMetadata(m.withOwnerReferences(ImmutableList.of(WEB_OWNS)));
      default -> c.withMetadata(m.withOwnerReferences(ImmutableList.of()));
    };
  }

  @Test
  void aClaimChangeThatQueuesNoDeviceLeavesItsDecisionAsItWas() {
    DeviceStagingController staging = new DeviceStagingController(HOST);
    ObjectKey device = DeviceStagingDecisionTest.DEVICE.objectKey();
    long[] queuedChanges = {0};
    long[] skippedChanges = {0};
    qt().withFixedSeed(0x5EED_C1A1L).withExamples(600)
        .forAll(integers().between(0, 2 * 4 - 1), lists().of(integers().between(0, 5)).ofSizeBetween(0, 3),
            booleans().all())
        .checkAssert((which, edits, binds) -> {
          Case c = CASES.get(which / 4);
          PersistentVolumeClaim bound = c.claim();
          // binds: the update is the binder's, setting the volume name of the claim that had none
          PersistentVolumeClaim old = binds ? bound.withSpec(bound.spec().withVolumeName(Optional.empty())) : bound;
          PersistentVolumeClaim now = bound;
          for (int e : edits) {
            now = edit(now, e);
          }
          ClusterState before = c.states().get(which % 4).apply(old);
          ClusterState after = c.states().get(which % 4).apply(now);
          List<ObjectKey> queued = new ArrayList<>();
          staging.watch(after, new Change(ObjectKey.of(now), Optional.of(old), Optional.of(now)), queued::add);
          if (queued.contains(device)) {
            queuedChanges[0]++;
            return;
          }
          skippedChanges[0]++;
          Decision was = staging.reconcile(before, device);
          assertThat(staging.reconcile(after, device)).as("case %d, edits %s, binds %s", which, edits, binds)
              .isEqualTo(was);
        });
    assertThat(queuedChanges[0]).as("edits that queue the device").isPositive();
    assertThat(skippedChanges[0]).as("edits that queue nothing").isPositive();
  }
}

package io.volumekit.core.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.Fixtures;
import io.volumekit.core.NodeStates;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentBuilder;
import io.volumekit.model.storage.VolumeAttachmentSourceBuilder;
import io.volumekit.model.storage.VolumeAttachmentSpecBuilder;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The attach/detach controller's watch skips the creation of an attachment made for a desired
 * node of its PV: over random states (two or three nodes, some down or not reporting the volume
 * in use; the CSI PV {@code pv-1} bound to its claim or pre-bound only, RWO or RWX; pods on random
 * nodes, some terminated; attachments already on other nodes; a CSIDriver without attach or
 * none), a new attachment (named as the attacher names it or not, on a random node) that the
 * watch does not queue left the PV's sync with work before it or with none after it.
 */
class NewAttachmentWatchPropertyTest {

  @Test
  void aSkippedCreationLeavesNoWorkUndone() {
    AttachDetachController c = new AttachDetachController(CsiMigration.all());
    ObjectKey key = Volumes.volumeKey(NodeStates.PV);
    long[] counts = new long[2]; // queued, skipped
    qt().withFixedSeed(0xA77AC4L).withExamples(5000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ClusterState s = state(r);
      VolumeAttachment made = attachment(r);
      ClusterState next = s.put(made);
      Set<ObjectKey> keys = new HashSet<>();
      c.watch(next, new Change(ObjectKey.of(made), Optional.empty(), Optional.of(made)), keys::add);
      if (keys.contains(key)) {
        counts[0]++;
        return;
      }
      counts[1]++;
      if (c.reconcile(s, key).isEmpty()) {
        assertThat(c.reconcile(next, key).isEmpty()).as("skipped %s but decides %s", made, c.reconcile(next, key))
            .isTrue();
      }
    });
    assertThat(counts[0]).isPositive();
    assertThat(counts[1]).isPositive();
  }

  private static String node(Random r) {
    return "node-" + (1 + r.nextInt(3));
  }

  private static ClusterState state(Random r) {
    ClusterState s = ClusterState.empty();
    for (int i = 1; i <= 2 + r.nextInt(2); i++) {
      var n = NodeStates.node("node-" + i);
      if (r.nextInt(4) == 0) {
        n = NodeStates.outOfService(n);
      }
      if (r.nextBoolean()) {
        n = NodeStates.inUse(n, NodeStates.PV);
      }
      s = s.put(n).put(NodeStates.csiNode("node-" + i));
    }
    PersistentVolume pv = NodeStates.pv(r.nextBoolean() ? "ReadWriteOnce" : "ReadWriteMany");
    s = s.put(pv);
    PersistentVolumeClaim claim = NodeStates.claim();
    s = s.put(r.nextInt(4) == 0 ? claim.withSpec(claim.spec().withVolumeName(Optional.empty())) : claim);
    if (r.nextInt(4) == 0) {
      s = s.put(CSIDriverBuilder.builder().metadata(ObjectMeta.named(Fixtures.DRIVER))
          .spec(CSIDriverSpecBuilder.builder().attachRequired(Optional.of(r.nextBoolean())).build()).build());
    }
    for (int i = 0; i < r.nextInt(3); i++) {
      Pod p = NodeStates.pod("p" + i, r.nextInt(4) == 0 ? "" : node(r));
      if (r.nextInt(4) == 0) {
        p = p.withStatus(p.status().withPhase(Optional.of(PodStatus.SUCCEEDED)));
      }
      s = s.put(p);
    }
    for (int i = 0; i < r.nextInt(2); i++) {
      s = s.put(NodeStates.attachment(node(r), r.nextBoolean(), java.util.Map.of()));
    }
    return s;
  }

  /** A new attachment of {@code pv-1}: the attacher's name for its node, or another name. */
  private static VolumeAttachment attachment(Random r) {
    String node = node(r);
    String name = r.nextInt(4) == 0 ? "user-made-" + node
        : PodVolumeSupport.attachmentName(NodeStates.HANDLE, Fixtures.DRIVER, node);
    return VolumeAttachmentBuilder.builder()
        .metadata(ObjectMeta.named(name))
        .spec(VolumeAttachmentSpecBuilder.builder().attacher(Fixtures.DRIVER).nodeName(node)
            .source(VolumeAttachmentSourceBuilder.builder().persistentVolumeName(Optional.of(NodeStates.PV)).build())
            .build())
        .build();
  }
}

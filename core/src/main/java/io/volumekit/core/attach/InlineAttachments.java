package io.volumekit.core.attach;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.migration.InTreePlugin;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.InlineMigratedVolumes.Use;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentBuilder;
import io.volumekit.model.storage.VolumeAttachmentSourceBuilder;
import io.volumekit.model.storage.VolumeAttachmentSpecBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The attach/detach controller's decision for an inline in-tree pod volume of a migrated plugin on
 * one node ({@link Attachments#inlineKey}): Kubernetes' reconciler with the volume spec translated
 * by {@code translateInTreeInlineVolumeToCSI}.
 *
 * <p>While a scheduled, non-terminated pod on the node has the volume and its driver requires
 * attach, the VolumeAttachment {@code csi-<sha256(handle+driver+node)>} is created with {@code
 * spec.source.inlineVolumeSpec} = the translated PV's spec (no PV name). Multi-attach is checked
 * on the translated access modes against the volume's attachments on other nodes; the node check
 * for plugins whose migration is not complete (Portworx) and the {@code attachError} reports are
 * those of PVs. When no pod there has it any more, the attachment is deleted once the node no
 * longer reports the volume in use, or at once when the node is out of service or gone.
 */
final class InlineAttachments {

  private InlineAttachments() {}

  static Decision reconcile(ClusterState state, CsiMigration migration, String node, String name) {
    List<Use> users = InlineMigratedVolumes.usersOnNode(state, migration, node, name).stream()
        .filter(u -> !PodVolumeSupport.isTerminated(u.pod())).toList();
    Decision.Builder b = Decision.builder();
    if (users.isEmpty() || !PodVolumeSupport.attachRequired(state, users.get(0).inline().csi().driver())) {
      detachIfUnused(state, node, name, b);
      return b.build();
    }
    PersistentVolume pv = users.get(0).inline().pv();
    String pvName = pv.metadata().name();
    String driver = pv.csi().orElseThrow().driver();
    String handle = pv.csi().orElseThrow().volumeHandle();
    List<Pod> pods = users.stream().map(Use::pod).toList();
    Optional<InTreePlugin> checked = migration.plugin(users.get(0).inline().volume())
        .filter(p -> !CsiMigration.migrationComplete(p));
    if (checked.isPresent() && !AttachDetachController.migratedOn(state, node, checked.get(), pvName, pods, b)) {
      return b.build();
    }
    String vaName = Attachments.name(handle, driver, node);
    Optional<VolumeAttachment> existing = state.get(Attachments.key(vaName), VolumeAttachment.class);
    if (existing.isPresent()) {
      AttachDetachController.reportAttachError(state, pvName, existing.get(), pods, b);
      return b.build();
    }
    if (!PodVolumeSupport.multiAttachAllowed(pv)) {
      Map<String, List<Pod>> elsewhere = new TreeMap<>();
      for (VolumeAttachment va : Attachments.ofVolume(state, name)) {
        String other = va.spec().nodeName();
        if (!other.equals(node)) {
          elsewhere.put(other, InlineMigratedVolumes.usersOnNode(state, migration, other, name).stream()
              .map(Use::pod).filter(p -> !PodVolumeSupport.isTerminated(p)).toList());
        }
      }
      if (!elsewhere.isEmpty()) {
        for (Pod p : pods) {
          b.event(EventRecord.warning(AttachDetachController.NAME, ObjectKey.of(p),
              AttachDetachController.FAILED_ATTACH_VOLUME,
              AttachDetachController.multiAttachMessage(pvName, p, elsewhere, node)));
        }
        return b.build();
      }
    }
    b.create(VolumeAttachmentBuilder.builder()
        .metadata(ObjectMeta.named(vaName))
        .spec(VolumeAttachmentSpecBuilder.builder().attacher(driver).nodeName(node)
            .source(VolumeAttachmentSourceBuilder.builder().inlineVolumeSpec(Optional.of(pv.spec())).build())
            .build())
        .build());
    return b.build();
  }

  /** Deletes the node's attachment of the volume unless the kubelet still has it mounted (and is up). */
  private static void detachIfUnused(ClusterState state, String node, String name, Decision.Builder b) {
    for (VolumeAttachment va : Attachments.ofVolume(state, name)) {
      if (!va.spec().nodeName().equals(node) || va.metadata().isDeleting()
          || va.spec().source().inlineVolumeSpec().isEmpty()) {
        continue;
      }
      Optional<Node> n = state.get(ObjectKey.cluster(Node.KIND, node), Node.class);
      boolean down = n.isEmpty() || PodVolumeSupport.isOutOfService(n.get());
      boolean inUse = n.isPresent() && PodVolumeSupport.volumesInUse(state, node).contains(name);
      if (!inUse || down) {
        b.delete(ObjectKey.of(va), va.metadata().uid().orElse(""));
      }
    }
  }

  /** The {@link Attachments#inlineKey} of each inline migrated volume of the placed pod. */
  static List<ObjectKey> keysOf(CsiMigration migration, Pod pod) {
    if (pod.nodeName().isEmpty()) {
      return List.of();
    }
    return InlineMigratedVolumes.of(migration, pod).stream()
        .map(i -> Attachments.inlineKey(pod.nodeName().get(), i.name())).toList();
  }

  /** The inline key of an attachment of an inline volume. */
  static Optional<ObjectKey> keyOf(VolumeAttachment va) {
    if (va.spec().source().inlineVolumeSpec().isEmpty()) {
      return Optional.empty();
    }
    return Volumes.attachedVolume(va).map(n -> Attachments.inlineKey(va.spec().nodeName(), n));
  }
}

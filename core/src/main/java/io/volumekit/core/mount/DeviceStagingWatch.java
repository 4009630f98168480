package io.volumekit.core.mount;

import static io.volumekit.core.mount.KubeletOperations.setupId;
import static io.volumekit.core.mount.KubeletOperations.stageId;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@link DeviceStagingController}'s watch queues for each kind of change: the devices ({@link
 * NodeVolumeKey.Device}) whose staging a Pod, claim or attachment change can give work.
 */
final class DeviceStagingWatch {

  private DeviceStagingWatch() {}

  /**
   * The device of a changed attachment, only when the change can give its reconcile work. Staging
   * reads an attachment twice: a device not yet staged waits until it is attached and not being
   * deleted, and then sends its {@code attachmentMetadata} ({@link PodVolumeSupport#usableAttachment});
   * a device with a stage operation is unstaged once the attachment is gone or being deleted
   * ({@link PodVolumeSupport#liveAttachment}). So the attachment's creation before it is attached,
   * its finalizers, and its detach after the device was unstaged queue nothing.
   */
  static void attachmentChanged(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    Optional<VolumeAttachment> before = change.beforeAs(VolumeAttachment.class);
    Optional<VolumeAttachment> after = change.afterAs(VolumeAttachment.class);
    if (before.isPresent() && after.isPresent() && !before.get().spec().equals(after.get().spec())) {
      enqueueDevice(before.get(), enqueue);
      enqueueDevice(after.get(), enqueue);
      return;
    }
    VolumeAttachment va = (VolumeAttachment) change.object();
    Optional<Map<String, String>> usable = PodVolumeSupport.usableAttachment(after);
    boolean gained = usable.isPresent() && !usable.equals(PodVolumeSupport.usableAttachment(before));
    boolean lost = PodVolumeSupport.liveAttachment(before) != PodVolumeSupport.liveAttachment(after)
        && Volumes.attachedVolume(va).filter(v -> state.operation(stageId(va.spec().nodeName(), v)).isPresent()).isPresent();
    if (gained || lost) {
      enqueueDevice(va, enqueue);
    }
  }

  /**
   * Whether a claim change keeps what the device's sync ({@code DeviceStagingController.users}) reads of it: that it exists, its volumeName
   * (bound to the device's PV) and its owner references (an ephemeral claim's pod).
   */
  static boolean sameClaimForStaging(Optional<PersistentVolumeClaim> before, Optional<PersistentVolumeClaim> after) {
    return before.isPresent() && after.isPresent() && before.get().volumeName().equals(after.get().volumeName())
        && before.get().metadata().ownerReferences().equals(after.get().metadata().ownerReferences());
  }

  static void enqueueDevice(VolumeAttachment va, Consumer<ObjectKey> enqueue) {
    Volumes.attachedVolume(va) // a PV, or an inline migrated volume by its inline name
        .ifPresent(pv -> enqueue.accept(new NodeVolumeKey.Device(va.spec().nodeName(), pv).objectKey()));
  }

  /**
   * The devices of the claims and inline migrated volumes the pod uses, on the node(s) it is or
   * was placed on.
   */
  static void podChanged(ClusterState state, Change change, Consumer<ObjectKey> enqueue, VolumeHost host) {
    Optional<Pod> before = change.beforeAs(Pod.class);
    Optional<Pod> after = change.afterAs(Pod.class);
    if (before.isPresent() && after.isPresent() && before.get().spec().equals(after.get().spec())
        && PodVolumeSupport.isTerminating(before.get()) == PodVolumeSupport.isTerminating(after.get())) {
      return; // a status change (containers started): staging reads the pod's spec and whether it is terminating
    }
    // A pod that only starts terminating (same spec) keeps needing a device it has published: that
    // device's sync would only hand the pods over again (its pod-volumes sync is queued by the same
    // change), so only the devices it has not published are queued.
    boolean terminates = before.isPresent() && after.isPresent() && !PodVolumeSupport.isTerminating(before.get())
        && PodVolumeSupport.isTerminating(after.get()) && before.get().spec().equals(after.get().spec());
    for (Optional<Pod> p : List.of(change.beforeAs(Pod.class), change.afterAs(Pod.class))) {
      if (p.isPresent() && p.get().nodeName().isPresent()) {
        String node = p.get().nodeName().get();
        for (ObjectKey c : PodIndex.claimsOf(p.get())) {
          state.get(c, PersistentVolumeClaim.class).flatMap(PersistentVolumeClaim::volumeName)
              .filter(v -> !terminates || !publishes(state, after.get(), node, v))
              .ifPresent(v -> enqueue.accept(new NodeVolumeKey.Device(node, v).objectKey()));
        }
        for (InlineMigratedVolumes.Inline i : InlineMigratedVolumes.of(host.migration(), p.get())) {
          enqueue.accept(new NodeVolumeKey.Device(node, i.name()).objectKey());
        }
      }
    }
  }

  /**
   * Whether one of the pod's volumes has the PV published on the node (a mounted setup operation):
   * such a pod is one of the device's users, terminating or not (as {@code DeviceStagingController.users} counts it).
   */
  static boolean publishes(ClusterState state, Pod pod, String node, String pvName) {
    String uid = pod.metadata().uid().orElse("");
    for (Volume v : pod.spec().volumes()) {
      Optional<Operation> op = state.operation(setupId(uid, v.name())).filter(KubeletOperations::mounted);
      if (op.isPresent() && op.get().effect() instanceof NodePublish np && np.node().equals(node)
          && np.volumeName().equals(pvName)) {
        return true;
      }
    }
    return false;
  }

  static void claimChanged(ClusterState state, ObjectKey claim, Consumer<ObjectKey> enqueue) {
    claimChanged(state, claim, state.get(claim, PersistentVolumeClaim.class), enqueue);
  }

  /** {@link #claimChanged(ClusterState, ObjectKey, Consumer)} with the claim as the state has it (a claim change's own). */
  static void claimChanged(ClusterState state, ObjectKey claim, Optional<PersistentVolumeClaim> found,
      Consumer<ObjectKey> enqueue) {
    Optional<String> pv = found.flatMap(PersistentVolumeClaim::volumeName);
    if (pv.isEmpty()) {
      return;
    }
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      state.get(pk, Pod.class).flatMap(Pod::nodeName)
          .ifPresent(n -> enqueue.accept(new NodeVolumeKey.Device(n, pv.get()).objectKey()));
    }
  }
}

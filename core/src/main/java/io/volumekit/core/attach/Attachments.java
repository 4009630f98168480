package io.volumekit.core.attach;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.AttachmentIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names and lookups of VolumeAttachments, as Kubernetes' CSI attacher and the external-attacher
 * spell them (docs/cases/node-side.md rows AT1, AT3).
 */
public final class Attachments {

  private Attachments() {}

  /** The attachment's name: {@code csi-<sha256(volumeHandle + driver + nodeName)>}. */
  public static String name(String volumeHandle, String driver, String nodeName) {
    return PodVolumeSupport.attachmentName(volumeHandle, driver, nodeName);
  }

  /** The kind of {@link #inlineKey}: it contains a {@code /}, so it is never an API kind. */
  private static final String INLINE_KIND = "attachdetach.volumekit.io/InlineVolume";

  /**
   * The attach/detach controller's work item for an inline migrated volume on a node (the volume
   * by its {@link io.volumekit.core.api.Volumes#inlineVolumeName}): such a volume has no PV to
   * key it, and its attachment is per node.
   */
  public static ObjectKey inlineKey(String node, String inlineVolumeName) {
    return new ObjectKey(INLINE_KIND, node, inlineVolumeName);
  }

  /** Whether the key is an {@link #inlineKey}. */
  static boolean isInlineKey(ObjectKey key) {
    return key.kind().equals(INLINE_KIND);
  }

  /** The key of the attachment with the name. */
  public static ObjectKey key(String name) {
    return ObjectKey.cluster(VolumeAttachment.KIND, name);
  }

  /** The external-attacher's finalizer: {@code external-attacher/<sanitized driver>}. */
  public static String finalizer(String driver) {
    // Asked in every ExternalAttacher.reconcile for one of a handful of drivers: computed once per
    // driver (the map is cleared if it ever grows past FINALIZER_CACHE_MAX names).
    String f = FINALIZERS.get(driver);
    if (f == null) {
      if (FINALIZERS.size() >= FINALIZER_CACHE_MAX) {
        FINALIZERS.clear();
      }
      f = "external-attacher/" + sanitize(driver);
      FINALIZERS.put(driver, f);
    }
    return f;
  }

  private static final int FINALIZER_CACHE_MAX = 256;
  private static final ConcurrentHashMap<String, String> FINALIZERS = new ConcurrentHashMap<>();

  /**
   * Every character (code point) outside {@code [a-zA-Z0-9-]} becomes {@code -}; a trailing
   * {@code -} gets an {@code X}.
   */
  static String sanitize(String driver) {
    StringBuilder sb = new StringBuilder(driver.length() + 1);
    driver.codePoints().forEach(c -> {
      boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      sb.append(keep ? (char) c : '-');
    });
    if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '-') {
      sb.append('X');
    }
    return sb.toString();
  }

  /**
   * The attachments whose source is the PV, in name order. O(log n + answer), through {@link
   * AttachmentIndex}.
   */
  public static List<VolumeAttachment> ofVolume(ClusterState state, String pvName) {
    return resolve(state, state.index(AttachmentIndex.class).ofVolume(pvName));
  }

  /** The attachments on the node, in name order. O(log n + answer), through {@link AttachmentIndex}. */
  public static List<VolumeAttachment> onNode(ClusterState state, String node) {
    return resolve(state, state.index(AttachmentIndex.class).onNode(node));
  }

  private static List<VolumeAttachment> resolve(ClusterState state, Set<ObjectKey> keys) {
    List<VolumeAttachment> out = new ArrayList<>(keys.size());
    for (ObjectKey k : keys) {
      state.get(k, VolumeAttachment.class).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Whether the PV has no attachment and no placed pod uses its claim: then {@link
   * AttachDetachController#reconcile} decides nothing (no desired node, nothing to detach), whatever else changed. Skips the syncs
   * of a volume that is bound, or released, while no pod on a node needs it. O(log n + pods using
   * the claim), through {@link io.volumekit.core.state.AttachmentIndex} and {@link PodIndex}.
   */
  static boolean idle(ClusterState state, PersistentVolume pv) {
    if (!state.index(io.volumekit.core.state.AttachmentIndex.class).ofVolume(pv.metadata().name()).isEmpty()) {
      return false;
    }
    Optional<ObjectKey> claim = Volumes.claimRefKey(pv);
    if (claim.isEmpty()) {
      return true;
    }
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim.get())) {
      if (state.get(pk, Pod.class).filter(p -> p.nodeName().isPresent()).isPresent()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@link AttachDetachController#reconcile} decides nothing for the PV until a node's
   * kubelet stops reporting it in use: no pod using its claim is placed and running (so no node is desired: nothing to create
   * and no pod to report to), and every attachment of it that is not being deleted is on a node that
   * is up and reports the volume in use (so nothing may be detached yet). The Node change that drops
   * the volume from the in-use list queues it. Skips the sync of a volume whose pod or claim was
   * just deleted while the kubelet still unmounts it. O(log n + pods using the claim + attachments).
   */
  static boolean waitsForUnmount(ClusterState state, PersistentVolume pv) {
    Optional<ObjectKey> claim = Volumes.claimRefKey(pv);
    if (claim.isPresent()) {
      for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim.get())) {
        Optional<Pod> p = state.get(pk, Pod.class);
        if (p.isPresent() && p.get().nodeName().isPresent() && !PodVolumeSupport.isTerminated(p.get())) {
          return false;
        }
      }
    }
    String pvName = pv.metadata().name();
    for (ObjectKey k : state.index(io.volumekit.core.state.AttachmentIndex.class).ofVolume(pvName)) {
      Optional<VolumeAttachment> va = state.get(k, VolumeAttachment.class);
      if (va.isEmpty() || va.get().metadata().isDeleting()) {
        continue;
      }
      String node = va.get().spec().nodeName();
      if (PodVolumeSupport.nodeIsDown(state, node) || !PodVolumeSupport.volumesInUse(state, node).contains(pvName)) {
        return false;
      }
    }
    return true;
  }
}

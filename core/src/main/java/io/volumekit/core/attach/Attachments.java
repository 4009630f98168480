package io.volumekit.core.attach;

import io.volumekit.core.mount.VolumeHost;
import io.volumekit.core.state.AttachmentIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.ObjectKey;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Names and lookups of VolumeAttachments, as Kubernetes' CSI attacher and the external-attacher
 * spell them (spec/node-and-csi.md 4.1, R4.3.3).
 */
public final class Attachments {

  private Attachments() {}

  /** The attachment's name: {@code csi-<sha256(volumeHandle + driver + nodeName)>}. */
  public static String name(String volumeHandle, String driver, String nodeName) {
    return "csi-" + VolumeHost.sha256(volumeHandle + driver + nodeName);
  }

  /** The key of the attachment with the name. */
  public static ObjectKey key(String name) {
    return ObjectKey.cluster(VolumeAttachment.KIND, name);
  }

  /** The external-attacher's finalizer: {@code external-attacher/<sanitized driver>}. */
  public static String finalizer(String driver) {
    return "external-attacher/" + sanitize(driver);
  }

  /** Every character outside {@code [a-zA-Z0-9-]} becomes {@code -}; a trailing {@code -} gets an {@code X}. */
  static String sanitize(String driver) {
    String s = driver.replaceAll("[^a-zA-Z0-9-]", "-");
    return s.endsWith("-") ? s + "X" : s;
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
}

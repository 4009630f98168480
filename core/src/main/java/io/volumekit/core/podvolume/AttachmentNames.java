package io.volumekit.core.podvolume;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.storage.VolumeAttachment;

/**
 * VolumeAttachment keys ({@code csi-<sha256(volumeHandle + driver + nodeName)>}, as Kubernetes'
 * CSI attacher names them), remembered per (handle, driver, node) in a {@link TripleMemo}: the
 * same attachment is named in many watches and reconciles of its volume's lifecycle (the
 * attach/detach controller, the external-attacher, device staging, pod volumes), and its name was
 * a concatenation of 100 characters to hash (through {@link VolumeHost#sha256}'s memo) each time.
 * A miss hashes without that memo ({@link VolumeHost#sha256Uncached}): this memo keeps the name,
 * and the concatenation would only push a staging path's handle out of the other.
 */
final class AttachmentNames {

  static final TripleMemo<ObjectKey> KEYS = new TripleMemo<>(4096,
      (handle, driver, node) -> ObjectKey.cluster(VolumeAttachment.KIND, "csi-" + VolumeHost.sha256Uncached(handle + driver + node)));

  private AttachmentNames() {}

  /** The attachment's key (its name is the key's name). */
  static ObjectKey key(String volumeHandle, String driver, String nodeName) {
    return KEYS.get(volumeHandle, driver, nodeName);
  }
}

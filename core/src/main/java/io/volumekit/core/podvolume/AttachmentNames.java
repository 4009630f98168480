package io.volumekit.core.podvolume;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.concurrent.ConcurrentHashMap;

/**
 * VolumeAttachment names ({@code csi-<sha256(volumeHandle + driver + nodeName)>}, as Kubernetes'
 * CSI attacher spells them) and keys, remembered per (handle, driver, node).
 *
 * <p>The same attachment is named in many watches and reconciles of its volume's lifecycle (the
 * attach/detach controller, the external-attacher, device staging, pod volumes). Looked up by the
 * three strings, not by their concatenation: the strings come from the PV and the node and keep
 * their hash, so a look-up hashes nothing and compares by identity, where the concatenated key
 * was a new 100-character string to build, hash and compare each time. The one name (and key)
 * handed out for a triple also keeps its hash for the state's look-ups. At most {@link #MAX}
 * entries, all dropped when it is reached (a bounded memo, as {@link VolumeHost#sha256}'s).
 */
final class AttachmentNames {

  static final int MAX = 4096;

  /** A (handle, driver, node) triple, hashed from the strings' own (cached) hashes. */
  private static final class Triple {
    final String handle;
    final String driver;
    final String node;
    final int hash;

    Triple(String handle, String driver, String node) {
      this.handle = handle;
      this.driver = driver;
      this.node = node;
      this.hash = (handle.hashCode() * 31 + driver.hashCode()) * 31 + node.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Triple t && hash == t.hash && handle.equals(t.handle) && driver.equals(t.driver)
          && node.equals(t.node);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final ConcurrentHashMap<Triple, ObjectKey> KEYS = new ConcurrentHashMap<>();

  private AttachmentNames() {}

  /** The attachment's key (its name is the key's name). */
  static ObjectKey key(String volumeHandle, String driver, String nodeName) {
    Triple t = new Triple(volumeHandle, driver, nodeName);
    ObjectKey k = KEYS.get(t);
    if (k == null) {
      k = ObjectKey.cluster(VolumeAttachment.KIND, "csi-" + VolumeHost.sha256(volumeHandle + driver + nodeName));
      if (KEYS.size() >= MAX) {
        KEYS.clear();
      }
      KEYS.put(t, k);
    }
    return k;
  }
}

package io.volumekit.core.podvolume;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.storage.VolumeAttachment;

/**
 * VolumeAttachment names ({@code csi-<sha256(volumeHandle + driver + nodeName)>}, as Kubernetes'
 * CSI attacher spells them) and keys, remembered per (handle, driver, node).
 *
 * <p>The same attachment is named in many watches and reconciles of its volume's lifecycle (the
 * attach/detach controller, the external-attacher, device staging, pod volumes). Looked up by the
 * three strings, not by their concatenation: the strings come from the PV and the node and keep
 * their hash, so a look-up hashes nothing and mostly compares by identity, where the concatenated
 * key was a new 100-character string to build, hash and compare each time. The one name (and key)
 * handed out for a triple also keeps its hash for the state's look-ups.
 *
 * <p>The memo is a direct-mapped table of {@link #SLOTS} entries indexed by the triple's hash (one
 * array read, no map nodes to chase); an entry is immutable, so a racing thread sees a whole entry
 * or another; a triple whose slot holds another is computed again (through {@link
 * VolumeHost#sha256}'s memo) and takes the slot.
 */
final class AttachmentNames {

  static final int SLOTS = 4096;

  /** A remembered triple and its key. */
  private static final class Entry {
    final String handle;
    final String driver;
    final String node;
    final int hash;
    final ObjectKey key;

    Entry(String handle, String driver, String node, int hash, ObjectKey key) {
      this.handle = handle;
      this.driver = driver;
      this.node = node;
      this.hash = hash;
      this.key = key;
    }

    boolean is(String handle, String driver, String node, int hash) {
      return this.hash == hash && this.handle.equals(handle) && this.driver.equals(driver) && this.node.equals(node);
    }
  }

  private static final Entry[] TABLE = new Entry[SLOTS];

  private AttachmentNames() {}

  /** The attachment's key (its name is the key's name). */
  static ObjectKey key(String volumeHandle, String driver, String nodeName) {
    int hash = (volumeHandle.hashCode() * 31 + driver.hashCode()) * 31 + nodeName.hashCode();
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    Entry e = TABLE[slot];
    if (e != null && e.is(volumeHandle, driver, nodeName, hash)) {
      return e.key;
    }
    ObjectKey k = ObjectKey.cluster(VolumeAttachment.KIND, "csi-" + VolumeHost.sha256(volumeHandle + driver + nodeName));
    TABLE[slot] = new Entry(volumeHandle, driver, nodeName, hash, k);
    return k;
  }
}

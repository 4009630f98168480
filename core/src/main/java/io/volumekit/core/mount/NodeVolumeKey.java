package io.volumekit.core.mount;

import io.volumekit.core.key.ObjectKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A work item of the kubelet's volume controllers that is not an API object: a volume's device
 * on a node ({@link Device}), or the directory a removed pod left on a node ({@link
 * PodDirectory}).
 *
 * <p>The engine queues {@link ObjectKey}s, so each typed key has an object-key form ({@link
 * #objectKey()}) whose kind contains a {@code /} and so can never be an API kind; {@link
 * #from(ObjectKey)} reads it back. Controllers take and build these keys only through this type,
 * never by spelling the kind. Kubernetes' kubelet keeps the same items in its actual state of the
 * world (attached volumes with their device mount state, and the pod directories it finds on disk).
 */
public sealed interface NodeVolumeKey permits NodeVolumeKey.Device, NodeVolumeKey.PodDirectory {

  /** The node the item is on. */
  String node();

  /** The key the engine queues. */
  ObjectKey objectKey();

  /** The typed key an object key stands for, if it is one. */
  static Optional<NodeVolumeKey> from(ObjectKey key) {
    if (key.kind().equals(Device.KIND)) {
      return Optional.of(new Device(key.namespace(), key.name()));
    }
    if (key.kind().equals(PodDirectory.KIND)) {
      return Optional.of(new PodDirectory(key.namespace(), key.name()));
    }
    return Optional.empty();
  }

  /**
   * A persistent volume's device on a node: staged ({@code NodeStageVolume}, the kubelet's
   * MountDevice) once for all the node's pods that use it.
   */
  record Device(String node, String volume) implements NodeVolumeKey {
    private static final String KIND = "kubelet.volumekit.io/DeviceMount";

    public Device {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(volume, "volume");
    }

    @Override
    public ObjectKey objectKey() {
      return new ObjectKey(KIND, node, volume);
    }
  }

  /** The directory of a pod that is gone, by the pod's uid (the kubelet's cleanupOrphanedPodDirs). */
  record PodDirectory(String node, String podUid) implements NodeVolumeKey {
    private static final String KIND = "kubelet.volumekit.io/PodDirectory";

    public PodDirectory {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(podUid, "podUid");
    }

    @Override
    public ObjectKey objectKey() {
      return new ObjectKey(KIND, node, podUid);
    }
  }
}

package io.volumekit.core.effect;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.populator.SourceKind;
import java.util.Objects;
import java.util.Optional;

/**
 * Fills a freshly provisioned volume with the data its claim's {@code dataSourceRef} names, by the
 * populator registered for the data source's group and kind: what lib-volume-populator's populator
 * pod (or its provider function) does against the "prime" claim's volume before the volume is
 * handed to the user's claim.
 *
 * <p>The runtime performs it by calling the embedder's populator with the volume as the populator
 * pod on {@link #node()} has it: {@code hostPath} is the pod's mount of the volume (Filesystem) or
 * its block device (Block), as the kubelet published it.
 *
 * @param claim the user's claim the data is for
 * @param claimUid that claim's uid (the prime claim is named {@code prime-<uid>})
 * @param prime the prime claim whose volume is filled
 * @param sourceKind the group and kind of the data source
 * @param dataSource the claim's {@code dataSourceRef}
 * @param sourceNamespace the namespace the data source lives in
 * @param volumeName the prime claim's PersistentVolume
 * @param driver the volume's CSI driver
 * @param volumeHandle the volume's CSI handle
 * @param block whether the volume is a raw block device (volumeMode Block)
 * @param hostPath where the volume is on the node: the mount directory, or the block device
 */
public record PopulateVolume(
    EffectId id, ObjectKey owner, String controller, String node,
    ObjectKey claim, String claimUid, ObjectKey prime, SourceKind sourceKind, TypedObjectReference dataSource,
    String sourceNamespace, String volumeName, String driver, String volumeHandle, boolean block,
    Optional<String> hostPath)
    implements Effect {

  public PopulateVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(claimUid, "claimUid");
    Objects.requireNonNull(prime, "prime");
    Objects.requireNonNull(sourceKind, "sourceKind");
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(sourceNamespace, "sourceNamespace");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(volumeHandle, "volumeHandle");
    Objects.requireNonNull(hostPath, "hostPath");
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.populate(this);
  }

  @Override
  public String describe() {
    return "Populate " + sourceKind + " " + sourceNamespace + "/" + dataSource.name() + " into " + volumeName
        + " for " + claim.namespacedName() + " node=" + node;
  }
}

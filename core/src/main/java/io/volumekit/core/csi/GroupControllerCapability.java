package io.volumekit.core.csi;

import java.util.Optional;

/**
 * {@code GroupControllerServiceCapability.RPC.Type}: the GroupController RPCs a driver supports
 * (GroupControllerGetCapabilities). A driver that does not advertise a capability answers its
 * RPCs UNIMPLEMENTED; Kubernetes' csi-snapshotter then does not take volume group snapshots.
 */
public enum GroupControllerCapability {
  /** CreateVolumeGroupSnapshot, DeleteVolumeGroupSnapshot and GetVolumeGroupSnapshot. */
  CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT(1);

  private final int number;

  GroupControllerCapability(int number) {
    this.number = number;
  }

  /** The csi.proto enum number. */
  public int number() {
    return number;
  }

  /** The capability with the given csi.proto number, if this version knows it. */
  public static Optional<GroupControllerCapability> forNumber(int number) {
    for (GroupControllerCapability c : values()) {
      if (c.number == number) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}

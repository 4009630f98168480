package io.volumekit.core.csi;

import java.util.Optional;

/**
 * {@code NodeServiceCapability.RPC.Type}: the node RPCs and features a driver supports
 * (NodeGetCapabilities).
 */
public enum NodeCapability {
  /** NodeStageVolume and NodeUnstageVolume; the CO must stage before publishing. */
  STAGE_UNSTAGE_VOLUME(1),
  /** NodeGetVolumeStats. */
  GET_VOLUME_STATS(2),
  /** NodeExpandVolume. */
  EXPAND_VOLUME(3),
  /** NodeGetVolumeStats reports a volume condition (alpha). */
  VOLUME_CONDITION(4),
  /** SINGLE_NODE_SINGLE_WRITER and SINGLE_NODE_MULTI_WRITER access modes (alpha). */
  SINGLE_NODE_MULTI_WRITER(5),
  /** The driver applies {@code volume_mount_group} itself (fsGroup). */
  VOLUME_MOUNT_GROUP(6);

  private final int number;

  NodeCapability(int number) {
    this.number = number;
  }

  /** The csi.proto enum number. */
  public int number() {
    return number;
  }

  /** The capability with the given csi.proto number, if this version knows it. */
  public static Optional<NodeCapability> forNumber(int number) {
    for (NodeCapability c : values()) {
      if (c.number == number) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}

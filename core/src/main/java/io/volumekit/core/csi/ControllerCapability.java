package io.volumekit.core.csi;

/**
 * {@code ControllerServiceCapability.RPC.Type}: the controller RPCs a driver supports
 * (ControllerGetCapabilities). An RPC whose capability is not advertised answers UNIMPLEMENTED.
 */
public enum ControllerCapability {
  /** CreateVolume and DeleteVolume. */
  CREATE_DELETE_VOLUME(1),
  /** ControllerPublishVolume and ControllerUnpublishVolume (attach/detach). */
  PUBLISH_UNPUBLISH_VOLUME(2),
  /** ListVolumes. */
  LIST_VOLUMES(3),
  /** GetCapacity. */
  GET_CAPACITY(4),
  /** CreateSnapshot and DeleteSnapshot; implies volumes can be created from snapshots. */
  CREATE_DELETE_SNAPSHOT(5),
  /** ListSnapshots. */
  LIST_SNAPSHOTS(6),
  /** CreateVolume with a volume content source (clones). */
  CLONE_VOLUME(7),
  /** ControllerPublishVolume honours {@code readonly}. */
  PUBLISH_READONLY(8),
  /** ControllerExpandVolume. */
  EXPAND_VOLUME(9),
  /** ListVolumes fills {@code published_node_ids}; requires PUBLISH_UNPUBLISH_VOLUME. */
  LIST_VOLUMES_PUBLISHED_NODES(10),
  /** ListVolumes/ControllerGetVolume report a volume condition (alpha). */
  VOLUME_CONDITION(11),
  /** ControllerGetVolume (alpha). */
  GET_VOLUME(12),
  /** SINGLE_NODE_SINGLE_WRITER and SINGLE_NODE_MULTI_WRITER access modes (alpha). */
  SINGLE_NODE_MULTI_WRITER(13),
  /** ControllerModifyVolume. */
  MODIFY_VOLUME(14),
  /** GetSnapshot (alpha). */
  GET_SNAPSHOT(15);

  private final int number;

  ControllerCapability(int number) {
    this.number = number;
  }

  /** The csi.proto enum number. */
  public int number() {
    return number;
  }

  /** The capability with the given csi.proto number, if this version knows it. */
  public static java.util.Optional<ControllerCapability> forNumber(int number) {
    for (ControllerCapability c : values()) {
      if (c.number == number) {
        return java.util.Optional.of(c);
      }
    }
    return java.util.Optional.empty();
  }
}

package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The {@code access_type} oneof of a {@link VolumeCapability}: a mounted filesystem or a raw
 * block device.
 */
public sealed interface AccessType {

  /**
   * {@code MountVolume}: the volume is published as a mounted filesystem. {@code fsType} empty
   * means the driver's default; {@code volumeMountGroup} is the decimal fsGroup, only sent to
   * drivers advertising VOLUME_MOUNT_GROUP.
   */
  record Mount(String fsType, ImmutableList<String> mountFlags, String volumeMountGroup)
      implements AccessType {
    /** Normalises nulls to empty values. */
    public Mount {
      fsType = Values.str(fsType);
      mountFlags = Values.list(mountFlags);
      volumeMountGroup = Values.str(volumeMountGroup);
    }

    /** A mount with the given filesystem type and flags, no mount group. */
    public static Mount of(String fsType, List<String> mountFlags) {
      return new Mount(fsType, Values.list(mountFlags), "");
    }
  }

  /** {@code BlockVolume}: the volume is published as a block device. */
  record Block() implements AccessType {}
}

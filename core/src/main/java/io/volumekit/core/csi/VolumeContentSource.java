package io.volumekit.core.csi;

/**
 * {@code VolumeContentSource}: what a new volume is pre-populated from — a snapshot or another
 * volume (clone).
 */
public sealed interface VolumeContentSource {
  /** Populate from the snapshot with this id. */
  record SnapshotSource(String snapshotId) implements VolumeContentSource {
    /** Normalises null to empty. */
    public SnapshotSource {
      snapshotId = Values.str(snapshotId);
    }
  }

  /** Populate from (clone) the volume with this id. */
  record VolumeSource(String volumeId) implements VolumeContentSource {
    /** Normalises null to empty. */
    public VolumeSource {
      volumeId = Values.str(volumeId);
    }
  }

  /** A snapshot source. */
  static VolumeContentSource snapshot(String snapshotId) {
    return new SnapshotSource(snapshotId);
  }

  /** A volume (clone) source. */
  static VolumeContentSource volume(String volumeId) {
    return new VolumeSource(volumeId);
  }
}

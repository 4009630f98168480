package io.volumekit.core.csi;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code Snapshot}: a point-in-time copy of a volume (CreateSnapshot, ListSnapshots). {@code
 * sizeBytes} 0 means unknown; {@code readyToUse} false means the snapshot is still being cut or
 * uploaded and cannot yet be a volume content source. {@code groupSnapshotId} is the id of the
 * volume group snapshot the snapshot was cut in (CreateVolumeGroupSnapshot), empty for a snapshot
 * of its own; a member can only be deleted with its group.
 */
public record Snapshot(
    long sizeBytes,
    String snapshotId,
    String sourceVolumeId,
    Optional<Instant> creationTime,
    boolean readyToUse,
    String groupSnapshotId) {
  /** Normalises nulls to empty values. */
  public Snapshot {
    snapshotId = Values.str(snapshotId);
    sourceVolumeId = Values.str(sourceVolumeId);
    creationTime = Values.opt(creationTime);
    groupSnapshotId = Values.str(groupSnapshotId);
  }

  /** A snapshot that belongs to no group. */
  public Snapshot(
      long sizeBytes, String snapshotId, String sourceVolumeId, Optional<Instant> creationTime, boolean readyToUse) {
    this(sizeBytes, snapshotId, sourceVolumeId, creationTime, readyToUse, "");
  }
}

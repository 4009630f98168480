package io.volumekit.core.csi;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code Snapshot}: a point-in-time copy of a volume (CreateSnapshot, ListSnapshots). {@code
 * sizeBytes} 0 means unknown; {@code readyToUse} false means the snapshot is still being cut or
 * uploaded and cannot yet be a volume content source.
 */
public record Snapshot(
    long sizeBytes,
    String snapshotId,
    String sourceVolumeId,
    Optional<Instant> creationTime,
    boolean readyToUse) {
  /** Normalises nulls to empty values. */
  public Snapshot {
    snapshotId = Values.str(snapshotId);
    sourceVolumeId = Values.str(sourceVolumeId);
    creationTime = Values.opt(creationTime);
  }
}

package io.volumekit.core.csi;

import java.util.Objects;

/** CreateVolumeGroupSnapshot's answer: the group snapshot (possibly not yet ready to use). */
public record CreateVolumeGroupSnapshotResponse(VolumeGroupSnapshot groupSnapshot) {
  /** Rejects null. */
  public CreateVolumeGroupSnapshotResponse {
    Objects.requireNonNull(groupSnapshot, "groupSnapshot");
  }
}

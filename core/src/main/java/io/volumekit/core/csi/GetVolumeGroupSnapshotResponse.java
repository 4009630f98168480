package io.volumekit.core.csi;

import java.util.Objects;

/** GetVolumeGroupSnapshot's answer: the group snapshot as it is now. */
public record GetVolumeGroupSnapshotResponse(VolumeGroupSnapshot groupSnapshot) {
  /** Rejects null. */
  public GetVolumeGroupSnapshotResponse {
    Objects.requireNonNull(groupSnapshot, "groupSnapshot");
  }
}

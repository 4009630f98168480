package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code VolumeGroupSnapshot}: snapshots of several volumes cut together (CreateVolumeGroupSnapshot,
 * GetVolumeGroupSnapshot). Each member {@link Snapshot} carries this group's id in {@link
 * Snapshot#groupSnapshotId()}. {@code readyToUse} is true only when every member is ready.
 */
public record VolumeGroupSnapshot(
    String groupSnapshotId, ImmutableList<Snapshot> snapshots, Optional<Instant> creationTime, boolean readyToUse) {
  /** Normalises nulls to empty values. */
  public VolumeGroupSnapshot {
    groupSnapshotId = Values.str(groupSnapshotId);
    snapshots = Values.list(snapshots);
    creationTime = Values.opt(creationTime);
  }

  /** The members' snapshot ids, in order. */
  public ImmutableList<String> snapshotIds() {
    return snapshots.stream().map(Snapshot::snapshotId).collect(ImmutableList.toImmutableList());
  }
}

package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;

/**
 * DeleteVolumeGroupSnapshot: delete the group {@code groupSnapshotId} and its member snapshots
 * {@code snapshotIds} (both REQUIRED). An unknown group succeeds; member ids that do not match the
 * group's are INVALID_ARGUMENT.
 */
public record DeleteVolumeGroupSnapshotRequest(
    String groupSnapshotId, ImmutableList<String> snapshotIds, Secrets secrets) {
  /** Normalises nulls to empty values. */
  public DeleteVolumeGroupSnapshotRequest {
    groupSnapshotId = Values.str(groupSnapshotId);
    snapshotIds = Values.list(snapshotIds);
    secrets = Values.secrets(secrets);
  }

  /** A request without secrets. */
  public static DeleteVolumeGroupSnapshotRequest of(String groupSnapshotId, Iterable<String> snapshotIds) {
    return new DeleteVolumeGroupSnapshotRequest(groupSnapshotId, ImmutableList.copyOf(snapshotIds), Secrets.none());
  }
}

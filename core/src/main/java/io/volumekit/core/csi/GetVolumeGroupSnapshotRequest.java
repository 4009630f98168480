package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;

/**
 * GetVolumeGroupSnapshot: the current information about the group {@code groupSnapshotId} whose
 * members are {@code snapshotIds} (both REQUIRED); an unknown group answers NOT_FOUND, member ids
 * that do not match the group's INVALID_ARGUMENT.
 */
public record GetVolumeGroupSnapshotRequest(
    String groupSnapshotId, ImmutableList<String> snapshotIds, Secrets secrets) {
  /** Normalises nulls to empty values. */
  public GetVolumeGroupSnapshotRequest {
    groupSnapshotId = Values.str(groupSnapshotId);
    snapshotIds = Values.list(snapshotIds);
    secrets = Values.secrets(secrets);
  }

  /** A request without secrets. */
  public static GetVolumeGroupSnapshotRequest of(String groupSnapshotId, Iterable<String> snapshotIds) {
    return new GetVolumeGroupSnapshotRequest(groupSnapshotId, ImmutableList.copyOf(snapshotIds), Secrets.none());
  }
}

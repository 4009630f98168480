package io.volumekit.core.csi;

/**
 * ListSnapshots: a page of snapshots, optionally filtered by {@code sourceVolumeId} or {@code
 * snapshotId} (an unknown id gives an empty list, not an error). Paging as in {@link
 * ListVolumesRequest}.
 */
public record ListSnapshotsRequest(
    int maxEntries, String startingToken, String sourceVolumeId, String snapshotId, Secrets secrets) {
  /** Normalises nulls to empty values. */
  public ListSnapshotsRequest {
    startingToken = Values.str(startingToken);
    sourceVolumeId = Values.str(sourceVolumeId);
    snapshotId = Values.str(snapshotId);
    secrets = Values.secrets(secrets);
  }

  /** The first page of all snapshots, at most {@code maxEntries} (0: all). */
  public static ListSnapshotsRequest firstPage(int maxEntries) {
    return new ListSnapshotsRequest(maxEntries, "", "", "", Secrets.none());
  }
}

package io.volumekit.core.csi;

/**
 * GetSnapshot (alpha, capability GET_SNAPSHOT): the current information about one snapshot,
 * {@code snapshotId} REQUIRED; an unknown snapshot answers NOT_FOUND.
 */
public record GetSnapshotRequest(String snapshotId, Secrets secrets) {
  /** Normalises nulls to empty values. */
  public GetSnapshotRequest {
    snapshotId = Values.str(snapshotId);
    secrets = Values.secrets(secrets);
  }

  /** A request without secrets. */
  public static GetSnapshotRequest of(String snapshotId) {
    return new GetSnapshotRequest(snapshotId, Secrets.none());
  }
}

package io.volumekit.core.csi;

/** DeleteSnapshot: delete {@code snapshotId} (REQUIRED); an unknown snapshot succeeds. */
public record DeleteSnapshotRequest(String snapshotId, Secrets secrets) {
  /** Normalises nulls to empty values. */
  public DeleteSnapshotRequest {
    snapshotId = Values.str(snapshotId);
    secrets = Values.secrets(secrets);
  }

  /** A request without secrets. */
  public static DeleteSnapshotRequest of(String snapshotId) {
    return new DeleteSnapshotRequest(snapshotId, Secrets.none());
  }
}

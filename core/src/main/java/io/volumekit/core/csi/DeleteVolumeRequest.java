package io.volumekit.core.csi;

/**
 * DeleteVolume: delete the volume {@code volumeId} (REQUIRED). Deleting a volume that does not
 * exist succeeds (idempotency); a volume in use or with dependent snapshots the driver cannot
 * keep is FAILED_PRECONDITION.
 */
public record DeleteVolumeRequest(String volumeId, Secrets secrets) {
  /** Normalises nulls to empty values. */
  public DeleteVolumeRequest {
    volumeId = Values.str(volumeId);
    secrets = Values.secrets(secrets);
  }

  /** A request without secrets. */
  public static DeleteVolumeRequest of(String volumeId) {
    return new DeleteVolumeRequest(volumeId, Secrets.none());
  }
}

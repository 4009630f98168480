package io.volumekit.core.csi;

/**
 * NodeUnpublishVolume: undo NodePublishVolume; the driver removes what it created at {@code
 * targetPath}. Both fields REQUIRED; succeeds when not published there.
 */
public record NodeUnpublishVolumeRequest(String volumeId, String targetPath) {
  /** Normalises nulls to empty values. */
  public NodeUnpublishVolumeRequest {
    volumeId = Values.str(volumeId);
    targetPath = Values.str(targetPath);
  }
}

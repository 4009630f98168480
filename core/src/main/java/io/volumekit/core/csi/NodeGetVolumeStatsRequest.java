package io.volumekit.core.csi;

/**
 * NodeGetVolumeStats: usage of a published volume. {@code volumeId} and {@code volumePath} (a
 * target path the volume is published at) are REQUIRED; a volume not found at that path is
 * NOT_FOUND.
 */
public record NodeGetVolumeStatsRequest(String volumeId, String volumePath, String stagingTargetPath) {
  /** Normalises nulls to empty values. */
  public NodeGetVolumeStatsRequest {
    volumeId = Values.str(volumeId);
    volumePath = Values.str(volumePath);
    stagingTargetPath = Values.str(stagingTargetPath);
  }
}

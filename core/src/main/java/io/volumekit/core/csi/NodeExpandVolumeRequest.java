package io.volumekit.core.csi;

import java.util.Optional;

/**
 * NodeExpandVolume: grow the volume on the node (usually the filesystem) after
 * ControllerExpandVolume said {@code nodeExpansionRequired}. {@code volumeId} and {@code
 * volumePath} are REQUIRED.
 */
public record NodeExpandVolumeRequest(
    String volumeId,
    String volumePath,
    Optional<CapacityRange> capacityRange,
    String stagingTargetPath,
    Optional<VolumeCapability> volumeCapability,
    Secrets secrets) {
  /** Normalises nulls to empty values. */
  public NodeExpandVolumeRequest {
    volumeId = Values.str(volumeId);
    volumePath = Values.str(volumePath);
    capacityRange = Values.opt(capacityRange);
    stagingTargetPath = Values.str(stagingTargetPath);
    volumeCapability = Values.opt(volumeCapability);
    secrets = Values.secrets(secrets);
  }

  /** A request for the volume published at {@code volumePath} to grow to at least {@code requiredBytes}. */
  public static NodeExpandVolumeRequest of(String volumeId, String volumePath, long requiredBytes) {
    return new NodeExpandVolumeRequest(volumeId, volumePath, Optional.of(CapacityRange.atLeast(requiredBytes)), "",
        Optional.empty(), Secrets.none());
  }
}

package io.volumekit.core.csi;

import java.util.Optional;

/**
 * ControllerExpandVolume: grow the volume's backing storage. {@code volumeId} and {@code
 * capacityRange} are REQUIRED. A volume already at least as large succeeds. Kubernetes'
 * external-resizer calls it when a claim's request grows.
 */
public record ControllerExpandVolumeRequest(
    String volumeId, Optional<CapacityRange> capacityRange, Secrets secrets, Optional<VolumeCapability> volumeCapability) {
  /** Normalises nulls to empty values. */
  public ControllerExpandVolumeRequest {
    volumeId = Values.str(volumeId);
    capacityRange = Values.opt(capacityRange);
    secrets = Values.secrets(secrets);
    volumeCapability = Values.opt(volumeCapability);
  }

  /** A request to grow to at least {@code requiredBytes}. */
  public static ControllerExpandVolumeRequest of(String volumeId, long requiredBytes) {
    return new ControllerExpandVolumeRequest(volumeId, Optional.of(CapacityRange.atLeast(requiredBytes)),
        Secrets.none(), Optional.empty());
  }
}

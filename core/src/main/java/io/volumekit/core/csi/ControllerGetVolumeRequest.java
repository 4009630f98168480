package io.volumekit.core.csi;

/** ControllerGetVolume: the current state of one volume; {@code volumeId} REQUIRED, unknown is NOT_FOUND. */
public record ControllerGetVolumeRequest(String volumeId) {
  /** Normalises null to empty. */
  public ControllerGetVolumeRequest {
    volumeId = Values.str(volumeId);
  }
}

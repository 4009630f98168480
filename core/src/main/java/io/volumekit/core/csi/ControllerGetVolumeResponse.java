package io.volumekit.core.csi;

import java.util.Objects;

/** ControllerGetVolume's answer: the volume and its status (published nodes, condition). */
public record ControllerGetVolumeResponse(Volume volume, VolumeStatus status) {
  /** Rejects a null volume; a null status becomes empty. */
  public ControllerGetVolumeResponse {
    Objects.requireNonNull(volume, "volume");
    status = status == null ? new VolumeStatus(null, null) : status;
  }
}

package io.volumekit.core.csi;

import java.util.Objects;

/** CreateVolume's answer: the created (or already existing, compatible) volume. */
public record CreateVolumeResponse(Volume volume) {
  /** Rejects null. */
  public CreateVolumeResponse {
    Objects.requireNonNull(volume, "volume");
  }
}

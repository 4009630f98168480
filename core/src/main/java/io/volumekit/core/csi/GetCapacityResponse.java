package io.volumekit.core.csi;

import java.util.OptionalLong;

/**
 * GetCapacity's answer: the available capacity in bytes, and optionally the largest and smallest
 * volume size that CreateVolume would accept.
 */
public record GetCapacityResponse(long availableCapacity, OptionalLong maximumVolumeSize, OptionalLong minimumVolumeSize) {
  /** Normalises nulls to empty values. */
  public GetCapacityResponse {
    maximumVolumeSize = maximumVolumeSize == null ? OptionalLong.empty() : maximumVolumeSize;
    minimumVolumeSize = minimumVolumeSize == null ? OptionalLong.empty() : minimumVolumeSize;
  }
}

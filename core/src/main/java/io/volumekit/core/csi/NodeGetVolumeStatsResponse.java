package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/** NodeGetVolumeStats' answer: usage figures (bytes, inodes) and the volume condition. */
public record NodeGetVolumeStatsResponse(ImmutableList<VolumeUsage> usage, Optional<VolumeCondition> volumeCondition) {
  /** Normalises nulls to empty values. */
  public NodeGetVolumeStatsResponse {
    usage = Values.list(usage);
    volumeCondition = Values.opt(volumeCondition);
  }
}

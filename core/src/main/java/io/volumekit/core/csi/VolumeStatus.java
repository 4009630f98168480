package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * The {@code status} of a volume in ListVolumes/ControllerGetVolume: the nodes it is
 * controller-published to (filled when the driver has LIST_VOLUMES_PUBLISHED_NODES; the
 * external-attacher reconciles VolumeAttachments with it) and its condition.
 */
public record VolumeStatus(ImmutableList<String> publishedNodeIds, Optional<VolumeCondition> volumeCondition) {
  /** Normalises nulls to empty values. */
  public VolumeStatus {
    publishedNodeIds = Values.list(publishedNodeIds);
    volumeCondition = Values.opt(volumeCondition);
  }
}

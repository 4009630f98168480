package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;

/**
 * ControllerPublishVolume's answer: the {@code publishContext} the CO must pass to NodeStage and
 * NodePublish (Kubernetes keeps it in {@code VolumeAttachment.status.attachmentMetadata}).
 */
public record ControllerPublishVolumeResponse(ImmutableMap<String, String> publishContext) {
  /** Normalises null to empty. */
  public ControllerPublishVolumeResponse {
    publishContext = Values.map(publishContext);
  }
}

package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * ControllerPublishVolume: make the volume available on a node (attach). {@code volumeId}, {@code
 * nodeId} (the id the node's NodeGetInfo returned) and {@code volumeCapability} are REQUIRED.
 * Kubernetes' external-attacher calls it for each VolumeAttachment.
 */
public record ControllerPublishVolumeRequest(
    String volumeId,
    String nodeId,
    Optional<VolumeCapability> volumeCapability,
    boolean readonly,
    Secrets secrets,
    ImmutableMap<String, String> volumeContext) {
  /** Normalises nulls to empty values. */
  public ControllerPublishVolumeRequest {
    volumeId = Values.str(volumeId);
    nodeId = Values.str(nodeId);
    volumeCapability = Values.opt(volumeCapability);
    secrets = Values.secrets(secrets);
    volumeContext = Values.map(volumeContext);
  }

  /** A read/write request without secrets or context. */
  public static ControllerPublishVolumeRequest of(String volumeId, String nodeId, VolumeCapability capability) {
    return new ControllerPublishVolumeRequest(volumeId, nodeId, Optional.of(capability), false,
        Secrets.none(), ImmutableMap.of());
  }
}

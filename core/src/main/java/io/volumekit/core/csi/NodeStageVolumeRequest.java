package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * NodeStageVolume: prepare the volume on this node at {@code stagingTargetPath} (Kubernetes: the
 * "global mount", {@code .../plugins/kubernetes.io/csi/<driver>/<sha256(handle)>/globalmount}),
 * once per volume per node, before any NodePublish. {@code volumeId}, {@code stagingTargetPath}
 * and {@code volumeCapability} are REQUIRED. Only for drivers with STAGE_UNSTAGE_VOLUME.
 */
public record NodeStageVolumeRequest(
    String volumeId,
    ImmutableMap<String, String> publishContext,
    String stagingTargetPath,
    Optional<VolumeCapability> volumeCapability,
    Secrets secrets,
    ImmutableMap<String, String> volumeContext) {
  /** Normalises nulls to empty values. */
  public NodeStageVolumeRequest {
    volumeId = Values.str(volumeId);
    publishContext = Values.map(publishContext);
    stagingTargetPath = Values.str(stagingTargetPath);
    volumeCapability = Values.opt(volumeCapability);
    secrets = Values.secrets(secrets);
    volumeContext = Values.map(volumeContext);
  }

  /** A request without publish context, secrets or volume context. */
  public static NodeStageVolumeRequest of(String volumeId, String stagingTargetPath, VolumeCapability capability) {
    return new NodeStageVolumeRequest(volumeId, ImmutableMap.of(), stagingTargetPath, Optional.of(capability),
        Secrets.none(), ImmutableMap.of());
  }
}

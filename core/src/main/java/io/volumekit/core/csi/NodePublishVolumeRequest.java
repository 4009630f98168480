package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * NodePublishVolume: make the volume available to a workload at {@code targetPath} (Kubernetes:
 * {@code /var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~csi/<name>/mount}); the driver creates
 * the target, the CO only its parent. {@code volumeId}, {@code targetPath} and {@code
 * volumeCapability} are REQUIRED; {@code stagingTargetPath} is required when the driver has
 * STAGE_UNSTAGE_VOLUME (FAILED_PRECONDITION otherwise). Repeats follow the CSI spec's NodePublishVolume rules.
 */
public record NodePublishVolumeRequest(
    String volumeId,
    ImmutableMap<String, String> publishContext,
    String stagingTargetPath,
    String targetPath,
    Optional<VolumeCapability> volumeCapability,
    boolean readonly,
    Secrets secrets,
    ImmutableMap<String, String> volumeContext) {
  /** Normalises nulls to empty values. */
  public NodePublishVolumeRequest {
    volumeId = Values.str(volumeId);
    publishContext = Values.map(publishContext);
    stagingTargetPath = Values.str(stagingTargetPath);
    targetPath = Values.str(targetPath);
    volumeCapability = Values.opt(volumeCapability);
    secrets = Values.secrets(secrets);
    volumeContext = Values.map(volumeContext);
  }

  /**
   * The record's fields, with the service-account tokens of the volume context (key {@code
   * csi.storage.k8s.io/serviceAccount.tokens}) and the secrets never shown.
   */
  @Override
  public String toString() {
    java.util.Map<String, String> context = new java.util.LinkedHashMap<>(volumeContext);
    context.computeIfPresent(TOKENS_KEY, (k, v) -> "<redacted>");
    return "NodePublishVolumeRequest[volumeId=" + volumeId + ", publishContext=" + publishContext
        + ", stagingTargetPath=" + stagingTargetPath + ", targetPath=" + targetPath + ", volumeCapability="
        + volumeCapability + ", readonly=" + readonly + ", secrets=" + secrets + ", volumeContext=" + context + "]";
  }

  /** Kubernetes' volume context key for service-account tokens (CSIDriver {@code tokenRequests}). */
  private static final String TOKENS_KEY = "csi.storage.k8s.io/serviceAccount.tokens";

  /** A request with staging path (may be empty), target path, capability and readonly flag. */
  public static NodePublishVolumeRequest of(
      String volumeId, String stagingTargetPath, String targetPath, VolumeCapability capability, boolean readonly) {
    return new NodePublishVolumeRequest(volumeId, ImmutableMap.of(), stagingTargetPath, targetPath,
        Optional.of(capability), readonly, Secrets.none(), ImmutableMap.of());
  }
}

package io.volumekit.core.csi;

/**
 * ControllerUnpublishVolume: undo ControllerPublishVolume (detach). {@code volumeId} is REQUIRED;
 * an empty {@code nodeId} means "from every node". Succeeds when the volume is not published to
 * the node, and SHOULD succeed when volume or node are gone.
 */
public record ControllerUnpublishVolumeRequest(String volumeId, String nodeId, Secrets secrets) {
  /** Normalises nulls to empty values. */
  public ControllerUnpublishVolumeRequest {
    volumeId = Values.str(volumeId);
    nodeId = Values.str(nodeId);
    secrets = Values.secrets(secrets);
  }

  /** A request without secrets. */
  public static ControllerUnpublishVolumeRequest of(String volumeId, String nodeId) {
    return new ControllerUnpublishVolumeRequest(volumeId, nodeId, Secrets.none());
  }
}

package io.volumekit.core.csi;

/**
 * NodeUnstageVolume: undo NodeStageVolume; called after every NodeUnpublish of the volume on the
 * node succeeded. Both fields REQUIRED; succeeds when not staged there.
 */
public record NodeUnstageVolumeRequest(String volumeId, String stagingTargetPath) {
  /** Normalises nulls to empty values. */
  public NodeUnstageVolumeRequest {
    volumeId = Values.str(volumeId);
    stagingTargetPath = Values.str(stagingTargetPath);
  }
}

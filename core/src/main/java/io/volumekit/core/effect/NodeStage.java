package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * The kubelet's {@code MountDevice} for a persistent CSI volume on a node: {@code NodeStageVolume}
 * to the volume's global mount path when the node plugin has STAGE_UNSTAGE_VOLUME ({@code rpc}),
 * otherwise no call at all (the device mount is then only the kubelet's bookkeeping).
 *
 * <p>While its operation is recorded as succeeded (or uncertain), the volume counts as mounted on
 * the node: the kubelet keeps it in use and the attach/detach controller does not detach it.
 *
 * @param volumeName the PV name (the kubelet's spec name)
 */
public record NodeStage(
    EffectId id, ObjectKey owner, String controller, String driver, String node, String volumeName,
    boolean rpc, NodeStageVolumeRequest request)
    implements NodeCsiEffect<Void> {

  public NodeStage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public Void call(CsiDriver driver) {
    if (rpc) {
      driver.nodeStageVolume(request);
    }
    return null;
  }

  /** The CO creates the staging directory (CSI: it must exist and be a directory). */
  @Override
  public void prepare(io.volumekit.core.node.LocalVolumeWriter writer) throws java.io.IOException {
    if (rpc && NodeCsiEffect.onThisHost(request.stagingTargetPath())) {
      writer.makeDirectory(request.stagingTargetPath());
    }
  }

  @Override
  public String describe() {
    return (rpc ? "NodeStageVolume" : "MountDevice (no staging)") + " driver=" + driver + " node=" + node
        + " volumeId=" + request.volumeId() + " path=" + request.stagingTargetPath();
  }
}

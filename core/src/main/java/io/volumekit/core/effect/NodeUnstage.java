package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * The kubelet's {@code UnmountDevice}: {@code NodeUnstageVolume} when the node plugin stages
 * ({@code rpc}), once no pod on the node has the volume published.
 */
public record NodeUnstage(
    EffectId id, ObjectKey owner, String controller, String driver, String node, String volumeName,
    boolean rpc, NodeUnstageVolumeRequest request)
    implements NodeCsiEffect<Void> {

  public NodeUnstage {
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
      driver.nodeUnstageVolume(request);
    }
    return null;
  }

  /** Removes the empty global mount directory and its parent, as UnmountDevice does. */
  @Override
  public void finish(io.volumekit.core.node.LocalVolumeWriter writer) throws java.io.IOException {
    if (NodeCsiEffect.onThisHost(request.stagingTargetPath())) {
      String parent = NodeCsiEffect.parentOf(request.stagingTargetPath());
      writer.pruneEmptyDirectories(parent.isEmpty() ? request.stagingTargetPath() : parent);
    }
  }

  @Override
  public String describe() {
    return (rpc ? "NodeUnstageVolume" : "UnmountDevice (no staging)") + " driver=" + driver + " node=" + node
        + " volumeId=" + request.volumeId() + " path=" + request.stagingTargetPath();
  }
}

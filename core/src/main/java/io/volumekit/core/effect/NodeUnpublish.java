package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/** The kubelet's {@code TearDown} of a pod's CSI volume: {@code NodeUnpublishVolume}. */
public record NodeUnpublish(
    EffectId id, ObjectKey owner, String controller, String driver, String node, String podUid,
    String podVolume, NodeUnpublishVolumeRequest request)
    implements NodeCsiEffect<Void> {

  public NodeUnpublish {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public Void call(CsiDriver driver) {
    driver.nodeUnpublishVolume(request);
    return null;
  }

  /** Removes the now empty volume directory ({@code .../<specName>}), as TearDown does. */
  @Override
  public void finish(io.volumekit.core.node.LocalVolumeWriter writer) throws java.io.IOException {
    String parent = NodeCsiEffect.parentOf(request.targetPath());
    if (!parent.isEmpty()) {
      writer.pruneEmptyDirectories(parent);
    }
  }

  @Override
  public String describe() {
    return "NodeUnpublishVolume driver=" + driver + " node=" + node + " volumeId=" + request.volumeId()
        + " target=" + request.targetPath();
  }
}

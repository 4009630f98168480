package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * The kubelet's {@code SetUp} of a CSI volume for one pod: {@code NodePublishVolume} to the pod's
 * volume path. While its operation is recorded as succeeded (or uncertain) the volume counts as
 * published for the pod.
 *
 * @param podUid the pod's uid
 * @param podVolume the name of the volume in the pod spec
 * @param volumeName the PV name, or the pod volume name for inline volumes
 */
public record NodePublish(
    EffectId id, ObjectKey owner, String controller, String driver, String node, String podUid,
    String podVolume, String volumeName, NodePublishVolumeRequest request)
    implements NodeCsiEffect<Void> {

  public NodePublish {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public Void call(CsiDriver driver) {
    driver.nodePublishVolume(request);
    return null;
  }

  /** The CO creates the target's parent directory; the driver creates the target itself. */
  @Override
  public void prepare(io.volumekit.core.node.LocalVolumeWriter writer) throws java.io.IOException {
    String parent = NodeCsiEffect.parentOf(request.targetPath());
    if (!parent.isEmpty()) {
      writer.makeDirectory(parent);
    }
  }

  @Override
  public String describe() {
    return "NodePublishVolume driver=" + driver + " node=" + node + " volumeId=" + request.volumeId()
        + " target=" + request.targetPath() + (request.readonly() ? " readonly" : "");
  }
}

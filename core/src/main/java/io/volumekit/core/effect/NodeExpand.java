package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.NodeExpandVolumeResponse;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * The kubelet's {@code NodeExpandVolume} for a volume staged or published on a node, after the
 * external-resizer grew it on the controller and the claim is {@code NodeResizePending}: the node
 * plugin grows what it manages (usually the filesystem) to the PV's new capacity.
 *
 * @param volumeName the PV name
 */
public record NodeExpand(
    EffectId id, ObjectKey owner, String controller, String driver, String node, String volumeName,
    NodeExpandVolumeRequest request) implements NodeCsiEffect<NodeExpandVolumeResponse> {

  public NodeExpand {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(request, "request");
  }

  /** The size asked for, in bytes. */
  public long requiredBytes() {
    return request.capacityRange().map(r -> r.requiredBytes()).orElse(0L);
  }

  @Override
  public NodeExpandVolumeResponse call(CsiDriver driver) {
    return driver.nodeExpandVolume(request);
  }

  @Override
  public String describe() {
    return "NodeExpandVolume driver=" + driver + " node=" + node + " volumeId=" + request.volumeId()
        + " path=" + request.volumePath() + " bytes=" + requiredBytes();
  }
}

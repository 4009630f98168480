package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The kubelet's periodic volume statistics for one pod volume: {@code NodeGetVolumeStats} on the
 * pod's publish target (not the staging path), whose usage and volume condition feed
 * {@code VolumeKit.volumeStats} and the pod's {@code VolumeConditionAbnormal} events.
 *
 * @param podUid the pod's uid
 * @param podVolume the name of the volume in the pod spec
 * @param volumeName the PV name
 * @param claim the claim the volume is bound to (the metrics' {@code namespace} and
 *     {@code persistentvolumeclaim} labels)
 */
public record NodeGetVolumeStats(
    EffectId id, ObjectKey owner, String controller, String driver, String node, String podUid,
    String podVolume, String volumeName, Optional<ObjectKey> claim, NodeGetVolumeStatsRequest request)
    implements NodeCsiEffect<NodeGetVolumeStatsResponse> {

  public NodeGetVolumeStats {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(volumeName, "volumeName");
    claim = claim == null ? Optional.empty() : claim;
    Objects.requireNonNull(request, "request");
  }

  @Override
  public NodeGetVolumeStatsResponse call(CsiDriver driver) {
    return driver.nodeGetVolumeStats(request);
  }

  @Override
  public String describe() {
    return "NodeGetVolumeStats driver=" + driver + " node=" + node + " volumeId=" + request.volumeId()
        + " path=" + request.volumePath();
  }
}

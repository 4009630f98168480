package io.volumekit.core.health;

import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.csi.VolumeUsage;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The latest statistics of one pod volume, from its driver's NodeGetVolumeStats: what the kubelet
 * reports in its summary API ({@code VolumeStats}: capacity, available, used bytes; inodes, free,
 * used) and as {@code kubelet_volume_stats_*} metrics, with the volume condition when the node
 * plugin reports one (VOLUME_CONDITION).
 *
 * @param pod the pod
 * @param podUid its uid
 * @param podVolume the volume's name in the pod spec
 * @param volumeName the PV name (the pod volume's name for inline volumes)
 * @param claim the claim, for volumes backed by one (the metrics' {@code namespace} and
 *     {@code persistentvolumeclaim} labels; the kubelet exports metrics only for these)
 * @param abnormal the condition's {@code abnormal}, if reported
 * @param message the condition's message, if reported
 */
public record VolumeStats(
    ObjectKey pod, String podUid, String podVolume, String volumeName, Optional<ObjectKey> claim,
    OptionalLong capacityBytes, OptionalLong availableBytes, OptionalLong usedBytes,
    OptionalLong inodes, OptionalLong inodesFree, OptionalLong inodesUsed,
    Optional<Boolean> abnormal, Optional<String> message) {

  public VolumeStats {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(capacityBytes, "capacityBytes");
    Objects.requireNonNull(availableBytes, "availableBytes");
    Objects.requireNonNull(usedBytes, "usedBytes");
    Objects.requireNonNull(inodes, "inodes");
    Objects.requireNonNull(inodesFree, "inodesFree");
    Objects.requireNonNull(inodesUsed, "inodesUsed");
    Objects.requireNonNull(abnormal, "abnormal");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The statistics in a NodeGetVolumeStats answer, as the kubelet reads them: BYTES usage gives
   * capacity/available/used, INODES usage gives inodes/free/used, usage of an unknown unit is
   * skipped.
   */
  public static VolumeStats of(ObjectKey pod, String podUid, String podVolume, String volumeName, Optional<ObjectKey> claim,
      NodeGetVolumeStatsResponse response) {
    OptionalLong cap = OptionalLong.empty();
    OptionalLong avail = OptionalLong.empty();
    OptionalLong used = OptionalLong.empty();
    OptionalLong inodes = OptionalLong.empty();
    OptionalLong free = OptionalLong.empty();
    OptionalLong inodesUsed = OptionalLong.empty();
    for (VolumeUsage u : response.usage()) {
      if (u.unit() == VolumeUsage.Unit.BYTES) {
        cap = OptionalLong.of(u.total());
        avail = OptionalLong.of(u.available());
        used = OptionalLong.of(u.used());
      } else if (u.unit() == VolumeUsage.Unit.INODES) {
        inodes = OptionalLong.of(u.total());
        free = OptionalLong.of(u.available());
        inodesUsed = OptionalLong.of(u.used());
      }
    }
    Optional<VolumeCondition> c = response.volumeCondition();
    return new VolumeStats(pod, podUid, podVolume, volumeName, claim, cap, avail, used, inodes, free, inodesUsed,
        c.map(VolumeCondition::abnormal), c.map(VolumeCondition::message));
  }
}

package io.volumekit.core.health;

import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.NodeGetVolumeStats;
import io.volumekit.core.effect.NodeUnpublish;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.metrics.GaugeSample;
import io.volumekit.core.metrics.MetricNames;
import io.volumekit.core.runtime.EffectListener;
import io.volumekit.core.runtime.EffectOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The latest {@link VolumeStats} of every published pod volume: the kubelet's in-memory stats
 * cache, filled from the answers of the periodic NodeGetVolumeStats calls and emptied for a volume
 * when it is unpublished. Statistics are observations, not desired state, so they are kept here
 * rather than in the cluster state. Safe to read from any thread.
 */
public final class VolumeStatsCache implements EffectListener {

  // Keyed "<pod uid>/<pod volume>", sorted so one pod's volumes are a contiguous range: reading a
  // pod's stats is a sub-map, not a scan of every volume on every node.
  private final ConcurrentSkipListMap<String, VolumeStats> latest = new ConcurrentSkipListMap<>();

  @Override
  public void started(Effect effect, int attempt) {}

  @Override
  public void finished(Effect effect, EffectOutcome outcome) {
    if (!(outcome instanceof EffectOutcome.Succeeded s)) {
      return;
    }
    if (effect instanceof NodeGetVolumeStats st) {
      s.result().filter(NodeGetVolumeStatsResponse.class::isInstance).map(NodeGetVolumeStatsResponse.class::cast)
          .ifPresent(r -> latest.put(st.podUid() + "/" + st.podVolume(),
              VolumeStats.of(st.owner(), st.podUid(), st.podVolume(), st.volumeName(), st.claim(), r)));
    } else if (effect instanceof NodeUnpublish u) {
      latest.remove(u.podUid() + "/" + u.podVolume());
    }
  }

  /** The latest statistics of the pod's volumes (by uid), in volume-name order. */
  public List<VolumeStats> forPod(String podUid) {
    return new ArrayList<>(latest.subMap(podUid + "/", podUid + "/\uffff").values());
  }

  /** The latest statistics of every published volume that has some. */
  public List<VolumeStats> all() {
    return new ArrayList<>(latest.values());
  }

  /**
   * The kubelet's volume metrics of the cached statistics: {@code kubelet_volume_stats_*} with
   * labels {@code namespace} and {@code persistentvolumeclaim}, only for volumes backed by a claim
   * (one series per claim), and {@code kubelet_volume_stats_health_status_abnormal} (1 or 0) when
   * the driver reports a condition.
   */
  public List<GaugeSample> gauges() {
    java.util.Map<ObjectKey, VolumeStats> byClaim = new java.util.TreeMap<>();
    for (VolumeStats s : latest.values()) {
      s.claim().ifPresent(c -> byClaim.put(c, s));
    }
    List<GaugeSample> out = new ArrayList<>();
    byClaim.forEach((claim, s) -> {
      java.util.Map<String, String> labels = java.util.Map.of("namespace", claim.namespace(), "persistentvolumeclaim", claim.name());
      add(out, MetricNames.VOLUME_STATS_CAPACITY_BYTES, labels, s.capacityBytes());
      add(out, MetricNames.VOLUME_STATS_AVAILABLE_BYTES, labels, s.availableBytes());
      add(out, MetricNames.VOLUME_STATS_USED_BYTES, labels, s.usedBytes());
      add(out, MetricNames.VOLUME_STATS_INODES, labels, s.inodes());
      add(out, MetricNames.VOLUME_STATS_INODES_FREE, labels, s.inodesFree());
      add(out, MetricNames.VOLUME_STATS_INODES_USED, labels, s.inodesUsed());
      s.abnormal().ifPresent(a -> out.add(GaugeSample.of(MetricNames.VOLUME_STATS_HEALTH_ABNORMAL, labels, a ? 1 : 0)));
    });
    return out;
  }

  private static void add(List<GaugeSample> out, String name, java.util.Map<String, String> labels, java.util.OptionalLong v) {
    if (v.isPresent()) {
      out.add(GaugeSample.of(name, labels, v.getAsLong()));
    }
  }

  /** Forgets everything (a restarted kubelet starts with an empty cache). */
  public void clear() {
    latest.clear();
  }

  @Override
  public String toString() {
    return "VolumeStatsCache[" + latest.size() + " volumes]";
  }
}

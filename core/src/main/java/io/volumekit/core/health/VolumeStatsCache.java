package io.volumekit.core.health;

import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.NodeGetVolumeStats;
import io.volumekit.core.effect.NodeUnpublish;
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

  /** Forgets everything (a restarted kubelet starts with an empty cache). */
  public void clear() {
    latest.clear();
  }

  @Override
  public String toString() {
    return "VolumeStatsCache[" + latest.size() + " volumes]";
  }
}

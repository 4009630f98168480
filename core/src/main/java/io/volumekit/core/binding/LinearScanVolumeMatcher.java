package io.volumekit.core.binding;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link VolumeMatcher} that scans every volume per claim, as Kubernetes' {@code findByClaim} +
 * {@code FindMatchingVolume} do: O(n) per claim, n^2 to bind n claims.
 *
 * <p>Kept as the reference the indexed matcher is tested against and as the benchmark baseline.
 * Ties between equal capacities go to the smaller name, like {@link IndexedVolumeMatcher}.
 */
public final class LinearScanVolumeMatcher implements VolumeMatcher {

  @Override
  public Optional<PersistentVolume> findBestMatch(
      ClusterState state, PersistentVolumeClaim claim, boolean delayBinding) {
    // Group every volume by its access-mode string, then visit groups fewest modes first.
    Map<String, List<PersistentVolume>> groups = new LinkedHashMap<>();
    for (PersistentVolume pv : state.list(PersistentVolume.KIND, PersistentVolume.class)) {
      groups.computeIfAbsent(AccessModes.asString(pv.spec().accessModes()), k -> new ArrayList<>()).add(pv);
    }
    List<String> order = new ArrayList<>(groups.keySet());
    order.removeIf(g -> !groupModes(groups.get(g).get(0)).containsAll(claim.spec().accessModes()));
    order.sort(Comparator.comparingInt((String g) -> g.split(",").length).thenComparing(g -> g));
    long bytes = Volumes.requestedBytes(claim);
    String cls = Volumes.storageClass(claim);
    for (String g : order) {
      PersistentVolume best = null;
      for (PersistentVolume pv : groups.get(g)) {
        if (pv.spec().claimRef().isPresent() && !Volumes.isBoundToClaim(pv, claim)) {
          continue;
        }
        if (Volumes.capacityBytes(pv) < bytes
            || !pv.spec().effectiveVolumeMode().equals(claim.spec().effectiveVolumeMode())
            || !Matching.sameAttributesClass(pv, claim)
            || pv.metadata().isDeleting()) {
          continue;
        }
        if (Volumes.isBoundToClaim(pv, claim)) {
          return Optional.of(pv);
        }
        if (delayBinding
            || !PersistentVolumeStatus.AVAILABLE.equals(pv.phase())
            || !Matching.selectorMatches(pv, claim)
            || !Volumes.storageClass(pv).equals(cls)) {
          continue;
        }
        if (best == null
            || Volumes.capacityBytes(pv) < Volumes.capacityBytes(best)
            || (Volumes.capacityBytes(pv) == Volumes.capacityBytes(best)
                && pv.metadata().name().compareTo(best.metadata().name()) < 0)) {
          best = pv;
        }
      }
      if (best != null) {
        return Optional.of(best);
      }
    }
    return Optional.empty();
  }

  private static List<String> groupModes(PersistentVolume pv) {
    return pv.spec().accessModes();
  }
}

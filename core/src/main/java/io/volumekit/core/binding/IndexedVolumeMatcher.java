package io.volumekit.core.binding;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.VolumeIndex;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The default {@link VolumeMatcher}: Kubernetes' choice, found through {@link VolumeIndex} in
 * O(log n) instead of a scan of every volume.
 *
 * <p>Access-mode groups are visited fewest modes first; in each group a volume pre-bound to the
 * claim wins at once, else the smallest available volume of the claim's class and volume mode with
 * enough capacity whose labels match the selector (a ceiling lookup in the group's capacity-ordered
 * set; only volumes failing the selector or attributes class are stepped over).
 */
public final class IndexedVolumeMatcher implements VolumeMatcher {

  @Override
  public Optional<PersistentVolume> findBestMatch(
      ClusterState state, PersistentVolumeClaim claim, boolean delayBinding) {
    VolumeIndex index = state.index(VolumeIndex.class);
    String ns = claim.metadata().namespaceOrEmpty();
    String name = claim.metadata().name();
    Set<String> referencing = index.volumesReferencing(ns, name);
    String cls = Volumes.storageClass(claim);
    if (referencing.isEmpty()) {
      // The common case: no volume pre-bound to the claim, so the smallest fitting available one
      // of the candidate buckets (in their order), found in one call to the index.
      return delayBinding ? Optional.empty() : Optional.ofNullable(index.smallestAvailable(cls,
          claim.spec().effectiveVolumeMode(), claim.spec().accessModes(), Volumes.requestedBytes(claim),
          pv -> Matching.sameAttributesClass(pv, claim) && Matching.selectorMatches(pv, claim)));
    }
    List<VolumeIndex.Bucket> buckets =
        delayBinding
            ? List.of()
            : index.candidateBuckets(cls, claim.spec().effectiveVolumeMode(), claim.spec().accessModes());
    // Pre-bound volumes by the access-mode group they fall into.
    TreeMap<String, PersistentVolume> preBound = new TreeMap<>();
    for (String pvName : referencing) {
      Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(pvName), PersistentVolume.class);
      if (pv.isPresent() && Volumes.isBoundToClaim(pv.get(), claim) && Matching.fitsPreBound(pv.get(), claim)) {
        preBound.putIfAbsent(AccessModes.asString(pv.get().spec().accessModes()), pv.get());
      }
    }
    if (preBound.isEmpty() && buckets.isEmpty()) {
      return Optional.empty();
    }
    List<String> groups = new ArrayList<>(preBound.keySet());
    for (VolumeIndex.Bucket b : buckets) {
      if (!groups.contains(b.accessModes())) {
        groups.add(b.accessModes());
      }
    }
    groups.sort(Comparator.comparingInt((String g) -> g.split(",").length).thenComparing(g -> g));
    long bytes = Volumes.requestedBytes(claim);
    for (String group : groups) {
      PersistentVolume pb = preBound.get(group);
      if (pb != null) {
        return Optional.of(pb);
      }
      for (VolumeIndex.Bucket b : buckets) {
        if (!b.accessModes().equals(group)) {
          continue;
        }
        for (VolumeIndex.Entry e : index.atLeast(b, bytes)) {
          if (Matching.sameAttributesClass(e.volume(), claim) && Matching.selectorMatches(e.volume(), claim)) {
            return Optional.of(e.volume());
          }
        }
      }
    }
    return Optional.empty();
  }
}

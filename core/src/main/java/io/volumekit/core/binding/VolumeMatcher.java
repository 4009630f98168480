package io.volumekit.core.binding;

import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.Optional;

/**
 * Finds the volume the PV controller binds an unbound claim to ({@code findBestMatchForClaim},
 * docs/cases/binding.md, "Matching"): a volume pre-bound to the claim, else the smallest available volume
 * of the claim's class, volume mode and access modes that satisfies its size and selector,
 * searching access-mode groups with the fewest modes first.
 */
public interface VolumeMatcher {

  /**
   * The best volume for the claim, if any.
   *
   * @param delayBinding true for WaitForFirstConsumer claims: then only volumes pre-bound to the
   *     claim are offered (the scheduler chooses the others)
   */
  Optional<PersistentVolume> findBestMatch(ClusterState state, PersistentVolumeClaim claim, boolean delayBinding);
}

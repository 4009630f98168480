package io.volumekit.core.binding;

import io.volumekit.core.api.Volumes;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.Objects;

/** The per-volume checks of {@code FindMatchingVolume} shared by the matchers. */
final class Matching {

  private Matching() {}

  /** Volume attributes class names equal, nil and {@code ""} being the same (2.4.2 step 5). */
  static boolean sameAttributesClass(PersistentVolume pv, PersistentVolumeClaim claim) {
    String a = pv.spec().volumeAttributesClassName().orElse("");
    String b = claim.spec().volumeAttributesClassName().orElse("");
    return a.equals(b);
  }

  /** Steps 3 to 6 and the access-mode superset: what even a pre-bound volume must satisfy. */
  static boolean fitsPreBound(PersistentVolume pv, PersistentVolumeClaim claim) {
    return Volumes.capacityBytes(pv) >= Volumes.requestedBytes(claim)
        && Objects.equals(pv.spec().effectiveVolumeMode(), claim.spec().effectiveVolumeMode())
        && sameAttributesClass(pv, claim)
        && !pv.metadata().isDeleting()
        && pv.spec().accessModes().containsAll(claim.spec().accessModes());
  }

  /** The selector check (step 11): no selector, or it matches the volume's labels. */
  static boolean selectorMatches(PersistentVolume pv, PersistentVolumeClaim claim) {
    var selector = claim.spec().selector();
    return selector.isEmpty() || selector.get().matches(pv.metadata().labels());
  }
}

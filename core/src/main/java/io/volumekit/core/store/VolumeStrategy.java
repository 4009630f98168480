package io.volumekit.core.store;

import io.volumekit.core.state.ClusterState;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.core.PersistentVolumeStatusBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry strategies of PersistentVolumes, claims, pods and StatefulSets: what the API server itself sets.
 *
 * <ul>
 *   <li>a new PV gets phase {@code Pending} and {@code lastPhaseTransitionTime = now}, whatever
 *       status the client sent (KEP-3762, {@code persistentvolume/strategy.go});
 *   <li>a PV update that changes the phase without setting a new transition time gets {@code now};
 *   <li>a new claim's status is reset to phase {@code Pending};
 *   <li>{@code metadata.generation} grows when the spec changes.
 * </ul>
 */
public final class VolumeStrategy implements Admission {

  @Override
  public ApiObject admitCreate(ApiObject object, ClusterState state, Instant now) {
    if (object instanceof PersistentVolume pv) {
      return pv.withStatus(
          PersistentVolumeStatusBuilder.builder()
              .phase(Optional.of(PersistentVolumeStatus.PENDING))
              .lastPhaseTransitionTime(Optional.of(now))
              .build());
    }
    if (object instanceof PersistentVolumeClaim pvc) {
      return pvc.withStatus(new PersistentVolumeClaimStatus(
          Optional.of(PersistentVolumeClaimStatus.PENDING), null, null, null, null, null, null, null));
    }
    return object;
  }

  @Override
  public ApiObject admitUpdate(ApiObject object, ApiObject old, ClusterState state, Instant now) {
    if (object instanceof PersistentVolume pv && old instanceof PersistentVolume o) {
      PersistentVolumeStatus s = pv.status();
      PersistentVolumeStatus os = o.status();
      // Identity first (the same status, or the same phase Optional, keeps the phase) before the
      // strings are read; then the transition times, usually the same Optional.
      if (s != os && s.phase() != os.phase() && !pv.phase().equals(o.phase())
          && Objects.equals(s.lastPhaseTransitionTime(), os.lastPhaseTransitionTime())) {
        return pv.withStatus(s.withLastPhaseTransitionTime(Optional.of(now)));
      }
    }
    return object;
  }

  @Override
  public boolean specChanged(ApiObject object, ApiObject old) {
    // Objects.equals: the same spec instance (a status or metadata write) is not compared field by field
    if (object instanceof PersistentVolume pv && old instanceof PersistentVolume o) {
      return !Objects.equals(pv.spec(), o.spec());
    }
    if (object instanceof PersistentVolumeClaim c && old instanceof PersistentVolumeClaim o) {
      return !Objects.equals(c.spec(), o.spec());
    }
    if (object instanceof Pod p && old instanceof Pod o) {
      return !Objects.equals(p.spec(), o.spec());
    }
    if (object instanceof StatefulSet s && old instanceof StatefulSet o) {
      return !Objects.equals(s.spec(), o.spec());
    }
    return false;
  }
}

package io.volumekit.core.expansion;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Admission;
import io.volumekit.core.store.ForbiddenException;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimCondition;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.StorageClass;
import java.time.Instant;
import java.util.Optional;

/**
 * Kubernetes' {@code PersistentVolumeClaimResize} admission plugin: an update that increases a
 * claim's {@code spec.resources.requests.storage} is refused (Forbidden) unless the claim is bound
 * and its class exists, is the same before and after, and has {@code allowVolumeExpansion: true}.
 * Decreases are the validation's business (they are refused below the previous value, or, once a
 * resize has started, below {@code status.capacity}).
 *
 * <p>It also stamps {@code lastTransitionTime} on a claim condition that a controller added or
 * changed without one: controllers are pure and have no clock, so the store gives the time, as
 * the API server stamps the PV's {@code lastPhaseTransitionTime}.
 */
public final class ResizeAdmission implements Admission {

  /** The refusal of an expansion of a claim that is not bound. */
  public static final String NOT_BOUND = "Only bound persistent volume claims can be expanded";

  /** The refusal of an expansion the claim's class does not allow. */
  public static final String NOT_ALLOWED = "only dynamically provisioned pvc can be resized and the storageclass"
      + " that provisions the pvc must support resize";

  @Override
  public ApiObject admitUpdate(ApiObject object, ApiObject old, ClusterState state, Instant now) {
    if (!(object instanceof PersistentVolumeClaim c) || !(old instanceof PersistentVolumeClaim o)) {
      return object;
    }
    if (ClaimResize.requested(c).compareTo(ClaimResize.requested(o)) > 0) {
      ObjectKey key = ObjectKey.of(c);
      if (!o.isBound()) {
        throw new ForbiddenException(key, NOT_BOUND);
      }
      String cls = Volumes.storageClass(c);
      Optional<StorageClass> sc = cls.isEmpty() ? Optional.empty()
          : state.get(Volumes.classKey(cls), StorageClass.class);
      if (cls.isEmpty() || !cls.equals(Volumes.storageClass(o)) || sc.isEmpty() || !sc.get().expansionAllowed()) {
        throw new ForbiddenException(key, NOT_ALLOWED);
      }
    }
    return stampConditions(c, o, now);
  }

  /** New or changed conditions without a transition time get {@code now}. */
  private static PersistentVolumeClaim stampConditions(PersistentVolumeClaim c, PersistentVolumeClaim old, Instant now) {
    if (c.status().conditions().isEmpty()) {
      return c; // the common case: nothing to stamp, no builder per claim write
    }
    boolean changed = false;
    ImmutableList.Builder<PersistentVolumeClaimCondition> out = ImmutableList.builder();
    for (PersistentVolumeClaimCondition x : c.status().conditions()) {
      if (x.lastTransitionTime().isEmpty() && !old.status().conditions().contains(x)) {
        x = x.withLastTransitionTime(Optional.of(now));
        changed = true;
      }
      out.add(x);
    }
    return changed ? c.withStatus(c.status().withConditions(out.build())) : c;
  }
}

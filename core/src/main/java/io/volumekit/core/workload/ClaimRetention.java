package io.volumekit.core.workload;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.OwnerReference;
import java.util.List;
import java.util.function.Predicate;

/**
 * The owner references a StatefulSet's claim carries under the set's
 * {@code persistentVolumeClaimRetentionPolicy}, as Kubernetes' StatefulSet controller sets them
 * ({@code isClaimOwnerUpToDate}, {@code updateClaimOwnerRefForSetAndPod}):
 *
 * <ul>
 *   <li>Retain / Retain: no reference to the set or the pod;
 *   <li>whenDeleted Delete: a controller reference to the set, so the garbage collector deletes the
 *       claim with the set;
 *   <li>whenScaled Delete: once the pod's ordinal is scaled down (out of the set's range), a
 *       controller reference to the pod (and none to the set), so the claim goes when the pod does.
 * </ul>
 *
 * <p>A claim with a stale reference (to an earlier set or pod of the same name: another uid) is
 * not touched. When a retention policy deletes something and another controller already controls
 * the claim, the set's and pod's references are removed and none is added (Kubernetes also records
 * a {@code ConflictingController} Warning; so does the controller). A reference to the set or pod
 * without {@code controller: true} is replaced by a controller reference.
 */
public final class ClaimRetention {
  private ClaimRetention() {}

  /** Whether the claim's references already match the policy for this pod ({@code isClaimOwnerUpToDate}). */
  public static boolean upToDate(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    if (hasStaleRef(claim, set) || hasStaleRef(claim, pod)) {
      return true; // managed by an earlier incarnation: not ours to touch
    }
    if (hasUnexpectedController(claim, set, pod)) {
      return !(hasRef(claim, set) || hasRef(claim, pod));
    }
    if (hasNonControllerRef(claim, set, pod)) {
      return false;
    }
    StatefulSetPersistentVolumeClaimRetentionPolicy policy = set.spec().retentionPolicy();
    boolean scaledDown = scaledDown(set, pod);
    boolean wantSet = policy.deleteWhenDeleted() && !(policy.deleteWhenScaled() && scaledDown);
    boolean wantPod = policy.deleteWhenScaled() && scaledDown;
    return hasRef(claim, set) == wantSet && hasRef(claim, pod) == wantPod;
  }

  /** The claim's owner references as the policy wants them ({@code updateClaimOwnerRefForSetAndPod}). */
  public static ImmutableList<OwnerReference> wantedRefs(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    boolean unexpectedController = hasUnexpectedController(claim, set, pod);
    List<OwnerReference> refs = claim.metadata().ownerReferences().stream()
        .filter(Predicate.not(r -> matches(r, set) || matches(r, pod)))
        .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    if (unexpectedController) {
      return ImmutableList.copyOf(refs);
    }
    StatefulSetPersistentVolumeClaimRetentionPolicy policy = set.spec().retentionPolicy();
    boolean scaledDown = scaledDown(set, pod);
    if (policy.deleteWhenScaled() && scaledDown) {
      refs.add(StatefulSetIdentity.controllerRef(pod));
    } else if (policy.deleteWhenDeleted()) {
      refs.add(StatefulSetIdentity.controllerRef(set));
    }
    return ImmutableList.copyOf(refs);
  }

  /**
   * Whether a retention policy deletes something and another controller (not this set or pod)
   * controls the claim, or a reference to the set or pod names another uid ({@code hasUnexpectedController}).
   */
  public static boolean hasUnexpectedController(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    StatefulSetPersistentVolumeClaimRetentionPolicy policy = set.spec().retentionPolicy();
    if (!policy.deleteWhenDeleted() && !policy.deleteWhenScaled()) {
      return false; // on Retain, another controller managing the claim is no problem
    }
    for (OwnerReference r : claim.metadata().ownerReferences()) {
      if (matches(r, set)) {
        if (!r.uid().equals(uid(set))) {
          return true;
        }
      } else if (matches(r, pod)) {
        if (!r.uid().equals(uid(pod))) {
          return true;
        }
      } else if (r.isController()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the pod's ordinal is outside the set's range (scaled down, {@code !podInOrdinalRange}). */
  static boolean scaledDown(StatefulSet set, Pod pod) {
    return StatefulSetIdentity.ordinal(pod.metadata().name()).stream().noneMatch(o -> StatefulSetIdentity.inRange(set, o));
  }

  private static boolean hasNonControllerRef(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    return claim.metadata().ownerReferences().stream()
        .anyMatch(r -> (r.uid().equals(uid(set)) || r.uid().equals(uid(pod))) && !r.isController());
  }

  private static boolean hasRef(PersistentVolumeClaim claim, ApiObject owner) {
    return claim.metadata().ownerReferences().stream().anyMatch(r -> r.uid().equals(uid(owner)));
  }

  /** The first reference matching the owner's apiVersion, kind and name has another uid ({@code hasStaleOwnerRef}). */
  private static boolean hasStaleRef(PersistentVolumeClaim claim, ApiObject owner) {
    for (OwnerReference r : claim.metadata().ownerReferences()) {
      if (matches(r, owner)) {
        return !r.uid().equals(uid(owner));
      }
    }
    return false;
  }

  /** apiVersion, kind and name equal ({@code matchesRef}); the uid is not compared. */
  private static boolean matches(OwnerReference r, ApiObject owner) {
    return r.apiVersion().equals(owner.apiVersion()) && r.kind().equals(owner.kind())
        && r.name().equals(owner.metadata().name());
  }

  private static String uid(ApiObject o) {
    return o.metadata().uid().orElse("");
  }
}

package io.volumekit.core.binding;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Decision;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimSpec;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PersistentVolumeSpec;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.quantity.Quantity;
import java.util.Objects;
import java.util.Optional;

/**
 * The binder's writes (docs/cases/binding.md, "bind"): {@code bind} itself, the claim's status
 * (row W4) and the volume's phase, as {@link BindingController} decides them.
 */
final class BindWrites {

  private BindWrites() {}

  /**
   * Binds the volume and the claim: the PV is written before the claim. Each object is built with
   * one copy per changed part (metadata, spec, status) and one of the whole: binding 100,000
   * claims makes this the binder's commonest write.
   */
  static Decision bind(PersistentVolume pv, PersistentVolumeClaim claim) {
    Decision.Builder d = Decision.builder();
    // 1 + 2: PV claimRef (and bound-by-controller if it was not pre-bound), phase Bound.
    ObjectReference ref = pv.spec().claimRef().orElse(null);
    ObjectMeta claimMeta = claim.metadata();
    String uid = claimMeta.uid().orElse("");
    boolean exact = ref != null
        && ref.nameOrEmpty().equals(claimMeta.name())
        && ref.namespaceOrEmpty().equals(claimMeta.namespaceOrEmpty())
        && ref.uidOrEmpty().equals(uid);
    PersistentVolumeStatus pvStatus = phaseStatus(pv.status(), PersistentVolumeStatus.BOUND, Optional.empty());
    if (!exact || pvStatus != pv.status()) {
      // Not exact: the claimRef's name, namespace or uid changes, so the volume does.
      PersistentVolumeSpec spec = pv.spec();
      ObjectMeta meta = pv.metadata();
      if (!exact) {
        if (!Volumes.isBoundToClaim(pv, claim)) {
          meta = withAnnotations(meta, Annotations.BOUND_BY_CONTROLLER, null);
        }
        spec = spec.withClaimRef(Optional.of(Volumes.claimReference(claim)));
      }
      d.update(new PersistentVolume(meta, spec, pvStatus));
    }
    // 3 + 4: claim volumeName and annotations, status Bound with the volume's modes and size.
    PersistentVolumeClaimSpec spec = claim.spec();
    ObjectMeta meta = claimMeta;
    String bound = null;
    String pvName = pv.metadata().name();
    if (!pvName.equals(claim.volumeName().orElse(null))) {
      spec = spec.withVolumeName(Optional.of(pvName));
      if (!meta.annotations().containsKey(Annotations.BOUND_BY_CONTROLLER)) {
        bound = Annotations.BOUND_BY_CONTROLLER;
      }
    }
    meta = withAnnotations(meta, bound, meta.annotations().containsKey(Annotations.BIND_COMPLETED)
        ? null : Annotations.BIND_COMPLETED);
    PersistentVolumeClaimStatus status = claimStatus(claim.status(), PersistentVolumeClaimStatus.BOUND, pv);
    if (spec != claim.spec() || meta != claimMeta || status != claim.status()) {
      d.update(new PersistentVolumeClaim(meta, spec, status));
    }
    return d.build();
  }

  /**
   * The metadata with each named annotation (a {@code null} name is skipped) set to {@value
   * Annotations#YES}, keeping the order of the others and appending new ones as {@link
   * ObjectMeta#withAnnotation} does, in one copy; the same metadata if nothing changes.
   */
  private static ObjectMeta withAnnotations(ObjectMeta meta, String first, String second) {
    ImmutableMap<String, String> a = meta.annotations();
    boolean addFirst = first != null && !Annotations.YES.equals(a.get(first));
    boolean addSecond = second != null && !second.equals(first) && !Annotations.YES.equals(a.get(second));
    if (!addFirst && !addSecond) {
      return meta;
    }
    if ((addFirst && a.containsKey(first)) || (addSecond && a.containsKey(second))) {
      // a value is replaced in place: the general path
      ObjectMeta m = addFirst ? meta.withAnnotation(first, Annotations.YES) : meta;
      return addSecond ? m.withAnnotation(second, Annotations.YES) : m;
    }
    if (a.isEmpty()) { // the common case (a static volume, a new claim): no builder
      return meta.withAnnotations(addFirst && addSecond ? ImmutableMap.of(first, Annotations.YES, second, Annotations.YES)
          : ImmutableMap.of(addFirst ? first : second, Annotations.YES));
    }
    ImmutableMap.Builder<String, String> b = ImmutableMap.builderWithExpectedSize(a.size() + 2);
    b.putAll(a);
    if (addFirst) {
      b.put(first, Annotations.YES);
    }
    if (addSecond) {
      b.put(second, Annotations.YES);
    }
    return meta.withAnnotations(b.buildOrThrow());
  }

  /**
   * Row W4: the claim with the phase and, with a volume, its access modes (and its capacity when the
   * phase changes); without one, access modes and capacity cleared. Empty if nothing changes.
   */
  static Optional<PersistentVolumeClaim> claimStatus(
      PersistentVolumeClaim claim, String phase, Optional<PersistentVolume> volume) {
    PersistentVolumeClaimStatus s = claim.status();
    PersistentVolumeClaimStatus n = claimStatus(s, phase, volume.orElse(null));
    return n == s ? Optional.empty() : Optional.of(claim.withStatus(n));
  }

  /** {@link #claimStatus(PersistentVolumeClaim, String, Optional)} on the status: the same one if nothing changes. */
  private static PersistentVolumeClaimStatus claimStatus(PersistentVolumeClaimStatus s, String phase, PersistentVolume pv) {
    ImmutableList<String> modes;
    ImmutableMap<String, Quantity> capacity = s.capacity();
    Optional<String> vac = s.currentVolumeAttributesClassName();
    if (pv != null) {
      modes = pv.spec().accessModes();
      // The binder sets the current VolumeAttributesClass once, from the volume (a static PV or a
      // provisioned one); after that only the modify controller changes it (updateClaimStatus).
      if (vac.isEmpty() && pv.spec().volumeAttributesClassName().isPresent()) {
        vac = pv.spec().volumeAttributesClassName();
      }
      if (!phase.equals(s.phase().orElse(PersistentVolumeClaimStatus.PENDING)) || s.phase().isEmpty()) {
        Quantity have = s.capacity().get("storage");
        if (!Objects.equals(have, pv.spec().capacity().get("storage"))) {
          capacity = pv.spec().capacity();
        }
      }
    } else {
      modes = ImmutableList.of();
      capacity = ImmutableMap.of();
    }
    if (phase.equals(s.phase().orElse(null)) && modes.equals(s.accessModes()) && capacity.equals(s.capacity())
        && vac.equals(s.currentVolumeAttributesClassName())) {
      return s;
    }
    return new PersistentVolumeClaimStatus(Optional.of(phase), modes, capacity, s.conditions(), s.allocatedResources(),
        s.allocatedResourceStatuses(), vac, s.modifyVolumeStatus());
  }

  /** The volume with the phase and message (reason cleared); the same object if unchanged. */
  static PersistentVolume volumePhase(PersistentVolume pv, String phase, Optional<String> message) {
    PersistentVolumeStatus s = phaseStatus(pv.status(), phase, message);
    return s == pv.status() ? pv : pv.withStatus(s);
  }

  /** The status with the phase and message (reason cleared); the same one if those are already set. */
  private static PersistentVolumeStatus phaseStatus(PersistentVolumeStatus s, String phase, Optional<String> message) {
    if (phase.equals(s.phase().orElse(null)) && s.message().equals(message)) {
      return s;
    }
    return new PersistentVolumeStatus(Optional.of(phase), message, Optional.empty(), s.lastPhaseTransitionTime());
  }
}

package io.volumekit.core.binding;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.state.ClaimIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.state.VolumeIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.storage.StorageClass;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which keys a committed change makes the binder ({@link BindingController}) sync: the PV
 * controller's informer handlers ({@code addClaim}/{@code updateClaim}/{@code deleteClaim},
 * {@code updateVolume}/{@code deleteVolume}), which queue the changed object and the object it
 * points at.
 *
 * <p>One difference in cost, none in outcome: a volume and a claim that form a <em>settled
 * pair</em> ({@link #settledPair}: bound to each other both ways, both phases Bound, nothing left
 * for {@code bind} to write) are not queued. Kubernetes syncs both again after its own {@code
 * bind} (the informer delivers the two writes back to it, and equal resourceVersions pass its
 * cache check); those "confirming" syncs decide nothing, because a sync of a settled pair is a
 * no-op ({@code syncVolume} row V8 and {@code syncBoundClaim} row C4 find nothing to change).
 * Skipping them keeps the outcome: a sync of either key depends only on the volume and the claim,
 * and every later change of either is shown to this watch again, which then queues both keys of
 * the pair unless it is still settled in the state it sees. The runtime shows a decision's
 * changes after all its writes are committed, so the binder's own {@code bind} (PV, then claim)
 * leaves a pair that is already settled when its first change is dispatched.
 *
 * <p>For the same reason keys whose sync is a no-op for a reason only the volume and its claim can
 * change ({@link #idle}: a key no longer stored, a released volume whose claim is gone, a
 * provisioned volume waiting for its claim's sync) are not queued either. In a pod's lifecycle
 * these are 8 of the binder's 13 syncs.
 */
final class BindingWatch {

  /**
   * The last settled pair found, and the state it was found in: the keys of its volume and claim.
   * A bind writes the volume and then the claim, and both changes are shown in the same state (the
   * one after the decision), so the second change asks {@link #settledPartner} about a key the
   * first already answered for: the state is persistent, so the same instance gives the same
   * answer, and neither object is read again (each read of a claim among 100,000 is a trie walk,
   * and its fields were compared once already). Holds one state until the next settled pair.
   */
  private record Settled(ClusterState state, ObjectKey volume, ObjectKey claim) {
  }

  private final CsiMigration migration;
  /** The last pair found settled (an immutable record, replaced whole); {@code null} at first. */
  private Settled lastSettled;

  BindingWatch(CsiMigration migration) {
    this.migration = migration;
  }

  void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case PersistentVolumeClaim.KIND -> {
        ObjectKey settledVolume = settledPartner(state, change.key());
        if (settledVolume == null && !idle(state, change.key())) {
          enqueue.accept(change.key());
        }
        // a claim's volume is re-synced when the claim changes or goes away.
        enqueueVolumeUnlessSettled(state, volumeName(as(change.before(), PersistentVolumeClaim.class)), settledVolume, enqueue);
        enqueueVolumeUnlessSettled(state, volumeName(as(change.after(), PersistentVolumeClaim.class)), settledVolume, enqueue);
        if (change.after().isEmpty() || change.type() == Change.Type.ADDED) {
          for (String pv : state.index(VolumeIndex.class)
              .volumesReferencing(change.key().namespace(), change.key().name())) {
            enqueueUnlessSettled(state, Volumes.volumeKey(pv), settledVolume, enqueue);
          }
        }
      }
      case PersistentVolume.KIND -> {
        ObjectKey settledClaim = settledPartner(state, change.key());
        if (settledClaim == null && !idle(state, change.key())) {
          enqueue.accept(change.key());
        }
        PersistentVolume after = as(change.after(), PersistentVolume.class);
        enqueueClaimUnlessSettled(state, as(change.before(), PersistentVolume.class), settledClaim, enqueue);
        enqueueClaimUnlessSettled(state, after, settledClaim, enqueue);
        // only a volume without claimRef, Available and not being deleted can have become available
        if (after != null && after.spec().claimRef().isEmpty() && !after.metadata().isDeleting()
            && PersistentVolumeStatus.AVAILABLE.equals(after.phase()) && VolumeIndex.becameAvailable(change)) {
          enqueue.accept(Volumes.classKey(Volumes.storageClass(after)));
        }
      }
      case StorageClass.KIND -> {
        enqueue.accept(change.key());
        if (change.afterAs(StorageClass.class).map(StorageClass::isDefault).orElse(false)) {
          enqueue.accept(Volumes.classKey("")); // retroactive default class assignment (docs/cases/binding.md row A3)
        }
      }
      case Pod.KIND -> {
        // WaitForPodScheduled vs WaitForFirstConsumer depends on the claim's pods: the unbound
        // claims of the pod before and after (each once, those before first).
        Pod b = as(change.before(), Pod.class);
        Pod a = as(change.after(), Pod.class);
        Set<ObjectKey> before = b == null ? Set.of() : PodIndex.claimsOf(b);
        for (ObjectKey c : before) {
          enqueueIfUnbound(state, c, enqueue);
        }
        if (a != null) {
          for (ObjectKey c : PodIndex.claimsOf(a)) {
            if (!before.contains(c)) {
              enqueueIfUnbound(state, c, enqueue);
            }
          }
        }
      }
      default -> {}
    }
  }

  /**
   * Queues the claim if it is stored and has not finished binding: what {@link
   * ClaimIndex#unboundClaims} of its class holds (a claim without {@code bind-completed}), read from
   * the claim itself instead of the index's class map.
   */
  private static void enqueueIfUnbound(ClusterState state, ObjectKey claim, Consumer<ObjectKey> enqueue) {
    PersistentVolumeClaim c = state.get(claim, PersistentVolumeClaim.class).orElse(null);
    if (c != null && !c.metadata().annotations().containsKey(Annotations.BIND_COMPLETED)) {
      enqueue.accept(claim);
    }
  }

  /** The object if it is present and of the type, else {@code null}; allocates nothing. */
  private static <T extends ApiObject> T as(Optional<ApiObject> object, Class<T> type) {
    ApiObject o = object.orElse(null);
    return type.isInstance(o) ? type.cast(o) : null;
  }

  /** The claim's {@code volumeName} if it is set and not empty, else {@code null}. */
  private static String volumeName(PersistentVolumeClaim claim) {
    String v = claim == null ? null : claim.spec().volumeName().orElse(null);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Queues the volume with the name (none if {@code null}) unless it is {@code known} or in a settled pair now. */
  private void enqueueVolumeUnlessSettled(ClusterState state, String volume, ObjectKey known, Consumer<ObjectKey> enqueue) {
    if (volume != null && (known == null || !known.name().equals(volume))) {
      enqueueUnlessSettled(state, Volumes.volumeKey(volume), known, enqueue);
    }
  }

  /** Queues the claim the volume's claimRef names (none without a volume or claimRef) unless it is {@code known} or settled. */
  private void enqueueClaimUnlessSettled(ClusterState state, PersistentVolume pv, ObjectKey known, Consumer<ObjectKey> enqueue) {
    ObjectReference ref = pv == null ? null : pv.spec().claimRef().orElse(null);
    if (ref != null && (known == null || !known.name().equals(ref.nameOrEmpty())
        || !known.namespace().equals(ref.namespaceOrEmpty()))) {
      enqueueUnlessSettled(state, Volumes.claimKey(ref.namespaceOrEmpty(), ref.nameOrEmpty()), known, enqueue);
    }
  }

  /** Queues the key unless it is {@code known} (already found settled), in a settled pair now, or {@link #idle}. */
  private void enqueueUnlessSettled(ClusterState state, ObjectKey key, ObjectKey known, Consumer<ObjectKey> enqueue) {
    if (!key.equals(known) && settledPartner(state, key) == null && !idle(state, key)) {
      enqueue.accept(key);
    }
  }

  /**
   * Whether the binder's sync of the volume or claim with this key decides nothing in the state,
   * for a reason that only that object and the claim its claimRef names can change (and every
   * change of either is shown to this watch again, which then queues the key unless it is still
   * idle): the object is not stored (the sync of a missing key is a no-op); or it is a volume whose
   * claimRef carries a uid and
   * <ul>
   *   <li>no stored claim has that name and uid, and its phase is already {@code Released} or
   *       {@code Failed} (row V5, nothing to write), or
   *   <li>the claim with that name and uid has no {@code volumeName} yet and the volume's volume
   *       mode (row V7: the claim's sync finishes the binding; a provisioned volume's first sync).
   * </ul>
   * Kubernetes syncs these keys and finds nothing to do; checked against the controller by {@code
   * BindingWatchPropertyTest}.
   */
  boolean idle(ClusterState state, ObjectKey key) {
    if (key.kind().equals(PersistentVolumeClaim.KIND)) {
      return !state.contains(key);
    }
    if (!key.kind().equals(PersistentVolume.KIND)) {
      return false;
    }
    PersistentVolume pv = state.get(key, PersistentVolume.class).orElse(null);
    if (pv == null) {
      return true;
    }
    ObjectReference ref = pv.spec().claimRef().orElse(null);
    if (ref == null || ref.uidOrEmpty().isEmpty()) {
      return false;
    }
    PersistentVolumeClaim claim = state.get(Volumes.claimKey(ref.namespaceOrEmpty(), ref.nameOrEmpty()),
        PersistentVolumeClaim.class).orElse(null);
    if (claim == null || !claim.metadata().uid().orElse("").equals(ref.uidOrEmpty())) {
      return PersistentVolumeStatus.RELEASED.equals(pv.phase()) || PersistentVolumeStatus.FAILED.equals(pv.phase());
    }
    return claim.volumeName().isEmpty() && pv.spec().effectiveVolumeMode().equals(claim.spec().effectiveVolumeMode());
  }

  /**
   * The key of the other half of the settled pair the volume or claim with this key belongs to in
   * the state, or {@code null} if it is not in one (or is not stored).
   */
  ObjectKey settledPartner(ClusterState state, ObjectKey key) {
    Settled last = lastSettled;
    if (last != null && last.state == state) {
      if (key.equals(last.claim)) {
        return last.volume;
      }
      if (key.equals(last.volume)) {
        return last.claim;
      }
    }
    ObjectKey partner = settledPartnerIn(state, key);
    if (partner != null) {
      boolean volume = key.kind().equals(PersistentVolume.KIND);
      lastSettled = new Settled(state, volume ? key : partner, volume ? partner : key);
    }
    return partner;
  }

  private ObjectKey settledPartnerIn(ClusterState state, ObjectKey key) {
    if (key.kind().equals(PersistentVolume.KIND)) {
      PersistentVolume pv = state.get(key, PersistentVolume.class).orElse(null);
      ObjectReference ref = pv == null ? null : pv.spec().claimRef().orElse(null);
      if (ref == null || ref.uidOrEmpty().isEmpty()) {
        return null;
      }
      ObjectKey ck = Volumes.claimKey(ref.namespaceOrEmpty(), ref.nameOrEmpty());
      PersistentVolumeClaim claim = state.get(ck, PersistentVolumeClaim.class).orElse(null);
      return claim != null && settledPair(pv, claim) ? ck : null;
    }
    if (key.kind().equals(PersistentVolumeClaim.KIND)) {
      PersistentVolumeClaim claim = state.get(key, PersistentVolumeClaim.class).orElse(null);
      String volume = volumeName(claim);
      if (volume == null) {
        return null;
      }
      ObjectKey vk = Volumes.volumeKey(volume);
      PersistentVolume pv = state.get(vk, PersistentVolume.class).orElse(null);
      return pv != null && settledPair(pv, claim) ? vk : null;
    }
    return null;
  }

  /**
   * Whether neither the volume's nor the claim's sync would decide anything: the claim carries
   * {@code bind-completed}, names the volume, and its status is {@code Bound} with the volume's
   * access modes (and attributes class once the volume has one); the volume's claimRef names the
   * claim with its uid, and its phase is {@code Bound} without a message; no migration annotation
   * is due on the claim. These are exactly the conditions under which {@code syncClaim} reaches row
   * C4 and {@code bind} writes nothing, and {@code syncVolume} reaches row V8 and writes nothing
   * (checked against the controller by {@code SettledPairTest}).
   */
  boolean settledPair(PersistentVolume pv, PersistentVolumeClaim claim) {
    ObjectReference ref = pv.spec().claimRef().orElse(null);
    String uid = claim.metadata().uid().orElse("");
    if (ref == null || uid.isEmpty()
        || !ref.uidOrEmpty().equals(uid)
        || !ref.nameOrEmpty().equals(claim.metadata().name())
        || !ref.namespaceOrEmpty().equals(claim.metadata().namespaceOrEmpty())) {
      return false;
    }
    String volumeName = claim.volumeName().orElse(null);
    if (!pv.metadata().name().equals(volumeName)
        || !claim.metadata().annotations().containsKey(Annotations.BIND_COMPLETED)) {
      return false;
    }
    if (!PersistentVolumeStatus.BOUND.equals(pv.status().phase().orElse(null))
        || pv.status().message().isPresent()) {
      return false;
    }
    PersistentVolumeClaimStatus s = claim.status();
    if (!PersistentVolumeClaimStatus.BOUND.equals(s.phase().orElse(null))
        || !s.accessModes().equals(pv.spec().accessModes())
        || (s.currentVolumeAttributesClassName().isEmpty() && pv.spec().volumeAttributesClassName().isPresent())) {
      return false;
    }
    return migration.migrationAnnotations(claim.metadata(), true).isEmpty();
  }
}

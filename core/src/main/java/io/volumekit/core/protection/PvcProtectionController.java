package io.volumekit.core.protection;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.OwnerReference;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps a claim that a pod uses: the {@code kubernetes.io/pvc-protection} finalizer is removed from
 * a deleted claim only when no pod uses it.
 *
 * <p>Mirrors {@code pvc_protection_controller.go} (docs/cases/protection.md rows 5.2-5.2e): a pod uses a claim
 * iff it is scheduled ({@code spec.nodeName} set) and references it through a {@code
 * persistentVolumeClaim} volume, or through a generic ephemeral volume whose claim ({@code
 * <pod>-<volume>}) it owns; for the ephemeral case a pod that is shutting down with grace period 0
 * no longer counts. As in current Kubernetes, a pod's phase does not matter: a Succeeded or Failed
 * pod object still blocks until it is deleted. Claims not being deleted get the finalizer if they
 * lack it.
 */
public final class PvcProtectionController implements Controller {

  /** The controller's name. */
  public static final String NAME = "pvc-protection";

  @Override
  public String name() {
    return NAME;
  }

  private static final ChangeFact UNPROTECTED = ChangeFact.deletingOrWithout(Finalizers.PVC_PROTECTION);

  @Override
  public WatchedKinds watches() {
    // Only a claim being deleted or without its finalizer has work (a pod's change queues its claims).
    return WatchedKinds.of(PersistentVolumeClaim.KIND, Pod.KIND)
        .only(PersistentVolumeClaim.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .when(PersistentVolumeClaim.KIND, UNPROTECTED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(PersistentVolumeClaim.KIND)) {
      // A claim deleted while a pod uses it waits for that pod, whose change queues it again.
      change.afterAs(PersistentVolumeClaim.class)
          .filter(o -> o.metadata().isDeleting() || !o.metadata().hasFinalizer(Finalizers.PVC_PROTECTION))
          .filter(o -> !(o.metadata().isDeleting() && o.metadata().hasFinalizer(Finalizers.PVC_PROTECTION)
              && isUsed(state, o)))
          .ifPresent(o -> enqueue.accept(change.key()));
    } else if (change.kind().equals(Pod.KIND)) {
      // The claims of the pod before, then the new ones after (no merged set is made per pod change).
      Set<ObjectKey> before = change.beforeAs(Pod.class).map(PodIndex::claimsOf).orElse(Set.of());
      Set<ObjectKey> after = change.afterAs(Pod.class).map(PodIndex::claimsOf).orElse(Set.of());
      for (ObjectKey c : before) {
        podUseChanged(state, change, c, enqueue);
      }
      for (ObjectKey c : after) {
        if (!before.contains(c)) {
          podUseChanged(state, change, c, enqueue);
        }
      }
    }
  }

  /**
   * Queues the claim if it is being deleted and the pod's use of it changed (the reconcile asks
   * whether any pod uses it): a pod's status, or its own deletion timestamp, queues nothing.
   */
  private static void podUseChanged(ClusterState state, Change change, ObjectKey c, Consumer<ObjectKey> enqueue) {
    Optional<PersistentVolumeClaim> claim = state.get(c, PersistentVolumeClaim.class).filter(o -> o.metadata().isDeleting());
    if (claim.isPresent() && change.beforeAs(Pod.class).map(p -> podUsesClaim(p, claim.get())).orElse(false)
        != change.afterAs(Pod.class).map(p -> podUsesClaim(p, claim.get())).orElse(false)) {
      enqueue.accept(c);
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<PersistentVolumeClaim> found = state.get(key, PersistentVolumeClaim.class);
    if (found.isEmpty()) {
      return Decision.none();
    }
    PersistentVolumeClaim claim = found.get();
    var meta = claim.metadata();
    if (!meta.isDeleting()) {
      if (!meta.hasFinalizer(Finalizers.PVC_PROTECTION)) {
        return Decision.update(claim.withMetadata(meta.withFinalizer(Finalizers.PVC_PROTECTION)));
      }
      return Decision.none();
    }
    if (!meta.hasFinalizer(Finalizers.PVC_PROTECTION) || isUsed(state, claim)) {
      return Decision.none();
    }
    return Decision.update(claim.withMetadata(meta.withoutFinalizer(Finalizers.PVC_PROTECTION)));
  }

  /** Whether a pod uses the claim (docs/cases/protection.md row 5.2b). */
  public static boolean isUsed(ClusterState state, PersistentVolumeClaim claim) {
    ObjectKey ck = ObjectKey.of(claim);
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(ck)) {
      Optional<Pod> pod = state.get(pk, Pod.class);
      if (pod.isPresent() && podUsesClaim(pod.get(), claim)) {
        return true;
      }
    }
    return false;
  }

  static boolean podUsesClaim(Pod pod, PersistentVolumeClaim claim) {
    if (pod.nodeName().isEmpty()) {
      return false;
    }
    String name = claim.metadata().name();
    for (Volume v : pod.spec().volumes()) {
      if (v.persistentVolumeClaim().map(s -> s.claimName().equals(name)).orElse(false)) {
        return true;
      }
      if (v.ephemeral().isPresent()
          && (pod.metadata().name() + "-" + v.name()).equals(name)
          && ownedBy(claim, pod)
          && !isShutDown(pod)) {
        return true;
      }
    }
    return false;
  }

  private static boolean ownedBy(PersistentVolumeClaim claim, Pod pod) {
    String uid = pod.metadata().uid().orElse("");
    for (OwnerReference r : claim.metadata().ownerReferences()) {
      if (r.uid().equals(uid) && r.isController()) {
        return true;
      }
    }
    return false;
  }

  /** A pod being deleted: volumekit has no grace periods, so deletion counts as shut down. */
  private static boolean isShutDown(Pod pod) {
    return pod.metadata().isDeleting();
  }
}

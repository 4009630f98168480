package io.volumekit.testkit;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.OwnerReference;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * pvc-protection as Kubernetes guarantees it (docs/simulation.md, {@code claim-protected-while-used};
 * docs/cases/protection.md rows 5.2-5.2e): the {@code kubernetes.io/pvc-protection} finalizer leaves
 * a deleted claim only when no pod uses it at that moment, and a pod that names the claim later is
 * refused by the kubelet, so a claim never disappears under a pod whose volume is set up.
 *
 * <p>"Uses" is Kubernetes' pvc-protection definition, stated here independently of the engine's
 * controller: the pod is scheduled ({@code spec.nodeName} set) and names the claim in a {@code
 * persistentVolumeClaim} volume, or has a generic ephemeral volume whose claim ({@code
 * <pod>-<volume>}) it controls and is not being deleted (volumekit has no grace periods: a pod
 * being deleted counts as shut down). The pod's phase does not matter.
 */
final class ClaimProtectionInvariants {

  private ClaimProtectionInvariants() {}

  /** No claim loses its protection, or disappears, under a pod. */
  static final Invariant PROTECTED_WHILE_USED = new Invariant() {
    @Override
    public String name() {
      return "claim-protected-while-used";
    }

    @Override
    public String description() {
      return "pvc-protection is never released from a claim while a pod that uses it exists (scheduled, naming it;"
          + " for a generic ephemeral volume, its owner not being deleted), and a claim is never removed while a pod"
          + " naming it is Running or has the claim's volume published for it.";
    }

    @Override
    public Optional<String> onChange(Change change, SimView view) {
      if (!change.kind().equals(PersistentVolumeClaim.KIND)) {
        return Optional.empty();
      }
      Optional<PersistentVolumeClaim> before = change.beforeAs(PersistentVolumeClaim.class);
      Optional<PersistentVolumeClaim> after = change.afterAs(PersistentVolumeClaim.class);
      if (before.isEmpty()) {
        return Optional.empty();
      }
      boolean released = before.get().metadata().hasFinalizer(Finalizers.PVC_PROTECTION)
          && after.map(c -> !c.metadata().hasFinalizer(Finalizers.PVC_PROTECTION)).orElse(true);
      if (released) {
        Optional<String> user = userOf(view.state(), before.get());
        if (user.isPresent()) {
          return Optional.of("pvc-protection was released from claim " + change.key().namespacedName()
              + " while pod " + user.get() + " uses it");
        }
      }
      return after.isEmpty() ? setUpFor(view, change.key(), before.get()) : Optional.empty();
    }
  };

  /** A pod that uses the claim in pvc-protection's sense: its name and node, if there is one. */
  static Optional<String> userOf(ClusterState s, PersistentVolumeClaim claim) {
    String name = claim.metadata().name();
    String ns = claim.metadata().namespaceOrEmpty();
    for (Pod p : s.list(Pod.KIND, Pod.class)) {
      if (p.nodeName().isEmpty() || !p.metadata().namespaceOrEmpty().equals(ns)) {
        continue;
      }
      for (Volume v : p.spec().volumes()) {
        boolean named = v.persistentVolumeClaim().map(c -> c.claimName().equals(name)).orElse(false);
        boolean ephemeral = v.ephemeral().isPresent() && name.equals(p.metadata().name() + "-" + v.name())
            && controlledBy(claim, p) && !p.metadata().isDeleting();
        if (named || ephemeral) {
          return Optional.of(p.metadata().name() + " on node " + p.nodeName().get());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean controlledBy(PersistentVolumeClaim claim, Pod pod) {
    String uid = pod.metadata().uid().orElse("");
    for (OwnerReference r : claim.metadata().ownerReferences()) {
      if (r.isController() && r.uid().equals(uid)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A pod on a node naming the removed claim that the kubelet started (phase Running) or for which
   * the driver holds the claim's volume published (a target path of the pod's uid).
   */
  private static Optional<String> setUpFor(SimView view, ObjectKey ck, PersistentVolumeClaim removed) {
    ClusterState s = view.state();
    Optional<String> handle = removed.volumeName()
        .flatMap(n -> s.get(Volumes.volumeKey(n), PersistentVolume.class))
        .flatMap(PersistentVolume::csi).map(c -> c.volumeHandle());
    Map<String, String> targets = handle
        .map(h -> view.driver().nodePublications().getOrDefault(h, ImmutableMap.of())).orElse(ImmutableMap.of());
    for (Pod p : s.list(Pod.KIND, Pod.class)) {
      if (p.nodeName().isEmpty() || !PodIndex.claimsOf(p).contains(ck)) {
        continue;
      }
      String where = " on node " + p.nodeName().get();
      if ("Running".equals(p.status().phase().orElse(""))) {
        return Optional.of("claim " + ck.namespacedName() + " was removed while pod " + p.metadata().name() + where
            + " that uses it is Running");
      }
      String uid = p.metadata().uid().orElse("");
      for (String target : targets.keySet()) {
        if (!uid.isEmpty() && Arrays.asList(target.split("/")).contains(uid)) {
          return Optional.of("claim " + ck.namespacedName() + " was removed while its volume " + handle.get()
              + " is published for pod " + p.metadata().name() + where + " at " + target);
        }
      }
    }
    return Optional.empty();
  }
}

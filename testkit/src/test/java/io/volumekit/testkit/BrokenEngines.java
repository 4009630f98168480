package io.volumekit.testkit;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.attach.AttachDetachController;
import io.volumekit.core.binding.BindingController;
import io.volumekit.core.binding.IndexedVolumeMatcher;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.mount.PodVolumeController;
import io.volumekit.core.effect.CreateVolume;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.protection.PvcProtectionController;
import io.volumekit.core.provisioning.ProvisioningController;
import io.volumekit.core.reclaim.ReclaimController;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.meta.ApiObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Deliberately broken engines: the default controllers with one replaced by a variant that has a
 * classic Kubernetes storage bug. The simulator must catch each of them.
 */
final class BrokenEngines {

  private BrokenEngines() {}

  /** Replaces the controller with the given name in the list. */
  static UnaryOperator<List<Controller>> replace(String name, UnaryOperator<Controller> broken) {
    return list -> {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).name().equals(name)) {
          list.set(i, broken.apply(list.get(i)));
          return list;
        }
      }
      throw new IllegalStateException("no controller named " + name + " in " + list);
    };
  }

  /** A controller forwarding to another one; override reconcile to break it. */
  abstract static class Forwarding implements Controller {
    final Controller delegate;

    Forwarding(Controller delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public io.volumekit.core.controller.WatchedKinds watches() {
      return delegate.watches();
    }

    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
      delegate.watch(state, change, enqueue);
    }
  }

  /** Replaces the named controller by one that decides on a rewritten view of the state. */
  static UnaryOperator<List<Controller>> blinded(String name, UnaryOperator<ClusterState> view) {
    return replace(name, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        return delegate.reconcile(view.apply(state), key);
      }
    });
  }

  /** The state with each object of the kind that matches replaced by {@code change} of it. */
  static <T extends ApiObject> ClusterState rewrite(ClusterState state, String kind, Class<T> type,
      Predicate<T> matches, Function<T, ApiObject> change) {
    ClusterState out = state;
    for (T o : state.list(kind, type)) {
      if (matches.test(o)) {
        out = out.put(change.apply(o));
      }
    }
    return out;
  }

  /** A binder whose matcher ignores the claim's access modes (binds a RWX claim to a RWO volume). */
  static UnaryOperator<List<Controller>> binderIgnoringAccessModes() {
    IndexedVolumeMatcher real = new IndexedVolumeMatcher();
    return replace(BindingController.NAME, c -> new BindingController(
        (state, claim, delay) -> real.findBestMatch(state,
            claim.withSpec(claim.spec().withAccessModes(com.google.common.collect.ImmutableList.of())), delay),
        Set.of(SimObjects.DRIVER)));
  }

  /** A reclaimer that deletes the backing volume of a released PV whatever its reclaim policy. */
  static UnaryOperator<List<Controller>> reclaimerIgnoringRetain() {
    return replace(ReclaimController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<PersistentVolume> pv = state.get(key, PersistentVolume.class);
        if (pv.isPresent() && pv.get().phase().equals(PersistentVolumeStatus.RELEASED)
            && !"Delete".equals(pv.get().reclaimPolicy()) && pv.get().csi().isPresent()
            && state.operation(ReclaimController.deleteId(key.name())).isEmpty()) {
          return Decision.builder().effect(new DeleteVolume(ReclaimController.deleteId(key.name()), key, name(),
              SimObjects.DRIVER, new DeleteVolumeRequest(pv.get().csi().get().volumeHandle(), Secrets.none()))).build();
        }
        return delegate.reconcile(state, key);
      }
    });
  }

  /**
   * pvc-protection that lets a deleted claim go even while a pod uses it (it hears every claim
   * change: the real controller does not queue a deleted claim a pod uses).
   */
  static UnaryOperator<List<Controller>> protectionIgnoringPods() {
    return replace(PvcProtectionController.NAME, c -> new Forwarding(c) {
      @Override
      public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
        if (change.kind().equals(PersistentVolumeClaim.KIND)) {
          enqueue.accept(change.key());
        }
        delegate.watch(state, change, enqueue);
      }

      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<PersistentVolumeClaim> claim = state.get(key, PersistentVolumeClaim.class);
        if (claim.isPresent() && claim.get().metadata().isDeleting()
            && claim.get().metadata().hasFinalizer(Finalizers.PVC_PROTECTION)) {
          return Decision.update(claim.get().withMetadata(
              claim.get().metadata().withoutFinalizer(Finalizers.PVC_PROTECTION)));
        }
        return delegate.reconcile(state, key);
      }
    });
  }

  /** secret-protection that lets a deleted Secret go at once, even while a volume needs it. */
  static UnaryOperator<List<Controller>> secretProtectionIgnoringUsers() {
    return replace(io.volumekit.core.protection.SecretProtectionController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<io.volumekit.model.core.Secret> secret = state.get(key, io.volumekit.model.core.Secret.class);
        if (secret.isPresent() && secret.get().metadata().isDeleting()
            && secret.get().metadata().hasFinalizer(Finalizers.SECRET_PROTECTION)) {
          return Decision.update(secret.get().withMetadata(
              secret.get().metadata().withoutFinalizer(Finalizers.SECRET_PROTECTION)));
        }
        return delegate.reconcile(state, key);
      }
    });
  }

  /**
   * A csi-snapshotter that lets a deleted content go at once, without DeleteSnapshot: the CSI
   * snapshot of a Delete content leaks.
   */
  static UnaryOperator<List<Controller>> snapshotterSkippingDeleteSnapshot() {
    return releasingDeleted(io.volumekit.core.snapshot.CsiSnapshotter.NAME,
        io.volumekit.model.snapshot.VolumeSnapshotContent.class, io.volumekit.core.snapshot.Snapshots.CONTENT_BOUND_PROTECTION);
  }

  /**
   * A csi-group-snapshotter that releases a deleted group content with policy Delete without calling
   * DeleteVolumeGroupSnapshot: the group's member snapshots stay on the storage.
   */
  static UnaryOperator<List<Controller>> groupSnapshotterSkippingDelete() {
    return releasingDeleted(io.volumekit.core.groupsnapshot.CsiGroupSnapshotter.NAME,
        io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent.class,
        io.volumekit.core.groupsnapshot.GroupSnapshots.CONTENT_BOUND_PROTECTION);
  }

  /**
   * The controller {@code name}, except that an object of {@code type} being deleted that still has
   * {@code finalizer} loses it at once, with none of the work the finalizer waits for.
   */
  private static UnaryOperator<List<Controller>> releasingDeleted(String name, Class<? extends ApiObject> type,
      String finalizer) {
    return replace(name, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<? extends ApiObject> o = state.get(key, type);
        if (o.isPresent() && o.get().metadata().isDeleting() && o.get().metadata().hasFinalizer(finalizer)) {
          return Decision.update(o.get().withMetadata(o.get().metadata().withoutFinalizer(finalizer)));
        }
        return delegate.reconcile(state, key);
      }
    });
  }

  /**
   * A csi-snapshotter that treats a deleted content with policy Retain as Delete: it calls
   * DeleteSnapshot, and the physical snapshot the user asked to keep is gone.
   */
  static UnaryOperator<List<Controller>> snapshotterDeletingRetainedSnapshots() {
    return replace(io.volumekit.core.snapshot.CsiSnapshotter.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<io.volumekit.model.snapshot.VolumeSnapshotContent> content =
            state.get(key, io.volumekit.model.snapshot.VolumeSnapshotContent.class);
        if (content.isEmpty() || !content.get().metadata().isDeleting()
            || !"Retain".equals(content.get().spec().deletionPolicy())) {
          return delegate.reconcile(state, key);
        }
        io.volumekit.model.snapshot.VolumeSnapshotContent asDelete =
            io.volumekit.model.snapshot.VolumeSnapshotContentBuilder.builder(content.get())
                .spec(content.get().spec().withDeletionPolicy("Delete")).build();
        Decision d = delegate.reconcile(state.put(asDelete), key);
        // Its writes keep the stored policy, so nothing but the DeleteSnapshot call differs.
        com.google.common.collect.ImmutableList.Builder<io.volumekit.core.controller.Write> writes =
            com.google.common.collect.ImmutableList.builder();
        for (io.volumekit.core.controller.Write w : d.writes()) {
          if (w instanceof io.volumekit.core.controller.Write.Update u
              && u.object() instanceof io.volumekit.model.snapshot.VolumeSnapshotContent written) {
            w = new io.volumekit.core.controller.Write.Update(
                io.volumekit.model.snapshot.VolumeSnapshotContentBuilder.builder(written)
                    .spec(written.spec().withDeletionPolicy("Retain")).build());
          }
          writes.add(w);
        }
        return new Decision(writes.build(), d.effects(), d.events(), d.forget(), d.acknowledge(), d.enqueue(),
            d.handoffs(), d.requeueAfter(), d.scheduled());
      }
    });
  }

  /**
   * A provisioner that drops a claim's data source from CreateVolume: a restored or cloned claim
   * gets an empty volume.
   */
  static UnaryOperator<List<Controller>> provisionerIgnoringDataSources() {
    return replace(ProvisioningController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Decision d = delegate.reconcile(state, key);
        com.google.common.collect.ImmutableList.Builder<io.volumekit.core.effect.Effect> effects =
            com.google.common.collect.ImmutableList.builder();
        for (io.volumekit.core.effect.Effect e : d.effects()) {
          if (e instanceof CreateVolume cv && cv.request().volumeContentSource().isPresent()) {
            var r = cv.request();
            e = new CreateVolume(cv.id(), cv.owner(), cv.controller(), cv.driver(),
                new io.volumekit.core.csi.CreateVolumeRequest(r.name(), r.capacityRange(), r.volumeCapabilities(),
                    r.parameters(), r.secrets(), Optional.empty(), r.accessibilityRequirements(), r.mutableParameters()),
                cv.volumeAttributesClassName());
          }
          effects.add(e);
        }
        return new Decision(d.writes(), effects.build(), d.events(), d.forget(), d.acknowledge(), d.enqueue(),
            d.handoffs(), d.requeueAfter(), d.scheduled());
      }
    });
  }

  /** pvc-protection that never lets a deleted claim go: the classic claim stuck in Terminating. */
  static UnaryOperator<List<Controller>> protectionNeverReleasing() {
    return replace(PvcProtectionController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<PersistentVolumeClaim> claim = state.get(key, PersistentVolumeClaim.class);
        if (claim.isPresent() && claim.get().metadata().isDeleting()) {
          return Decision.none();
        }
        return delegate.reconcile(state, key);
      }
    });
  }

  /**
   * A provisioner that forgets a volume the driver created for a claim that was deleted while
   * CreateVolume was in flight, instead of deleting it (the classic leak).
   */
  static UnaryOperator<List<Controller>> provisionerForgettingOrphans() {
    return replace(ProvisioningController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<Operation> op = state.operation(ProvisioningController.provisionId(key));
        if (op.isPresent() && op.get().succeeded()) {
          String pvName = ((CreateVolume) op.get().effect()).request().name();
          boolean wanted = state.get(key, PersistentVolumeClaim.class)
              .flatMap(cl -> cl.metadata().uid()).map(u -> pvName.equals("pvc-" + u)).orElse(false);
          if (!wanted) {
            return Decision.builder().forget(op.get().id()).build();
          }
        }
        return delegate.reconcile(state, key);
      }
    });
  }

  /**
   * An attach/detach controller that does not wait for the kubelet to unmount: it decides as if no
   * node reported any volume in use, so an attachment is deleted (and the volume detached) as soon
   * as no pod on the node wants it.
   */
  static UnaryOperator<List<Controller>> detacherNotWaitingForUnmount() {
    return blinded(AttachDetachController.NAME, state -> rewrite(state, Node.KIND, Node.class,
        n -> n.metadata().annotations().containsKey(Annotations.VOLUMES_IN_USE),
        n -> n.withMetadata(n.metadata().withoutAnnotation(Annotations.VOLUMES_IN_USE))));
  }

  /**
   * A kubelet that ignores the PVs' volume mode: its pod volume setup sees every PV as a
   * Filesystem one, so a Block volume is published with a mount capability at a filesystem target.
   */
  static UnaryOperator<List<Controller>> kubeletIgnoringVolumeMode() {
    return blinded(PodVolumeController.NAME, state -> rewrite(state, PersistentVolume.KIND, PersistentVolume.class,
        pv -> pv.spec().volumeMode().isPresent(), pv -> pv.withSpec(pv.spec().withVolumeMode(Optional.empty()))));
  }

  /**
   * A kubelet that starts pods whose claim is being deleted: its pod volume setup sees every claim
   * as not deleted, so a pod placed after pvc-protection let the claim go mounts its volume anyway.
   */
  static UnaryOperator<List<Controller>> kubeletIgnoringDeletedClaims() {
    return blinded(PodVolumeController.NAME, state -> rewrite(state, PersistentVolumeClaim.KIND,
        PersistentVolumeClaim.class, claim -> claim.metadata().isDeleting(),
        claim -> claim.withMetadata(claim.metadata().withDeletionTimestamp(Optional.empty()))));
  }

  /**
   * A provisioner that does not trust its in-flight record: whenever it reconciles a claim whose
   * CreateVolume is still in flight, it forgets the operation and issues the call again.
   */
  static UnaryOperator<List<Controller>> provisionerRepeatingInFlightCalls() {
    return replace(ProvisioningController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<Operation> op = state.operation(ProvisioningController.provisionId(key));
        if (op.isPresent() && op.get().inFlight()) {
          return Decision.builder().forget(op.get().id()).effect(op.get().effect()).build();
        }
        return delegate.reconcile(state, key);
      }
    });
  }

  /** A binder that crashes on ReadWriteOncePod claims. */
  static UnaryOperator<List<Controller>> binderCrashingOnRwop() {
    return replace(BindingController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        state.get(key, PersistentVolumeClaim.class)
            .filter(cl -> cl.spec().accessModes().contains("ReadWriteOncePod"))
            .ifPresent(cl -> {
              throw new IllegalArgumentException("unsupported access mode in " + key);
            });
        return delegate.reconcile(state, key);
      }
    });
  }

  /** A pvc-protection controller that keeps re-queueing every claim: the engine never goes idle. */
  static UnaryOperator<List<Controller>> protectionLivelocking() {
    return replace(PvcProtectionController.NAME, c -> new Forwarding(c) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Decision d = delegate.reconcile(state, key);
        return state.contains(key) ? d.and(Decision.builder().enqueue(key).build()) : d;
      }
    });
  }

  /** A binder whose matcher offers volumes that are already bound to another claim. */
  static UnaryOperator<List<Controller>> binderReusingBoundVolumes() {
    IndexedVolumeMatcher real = new IndexedVolumeMatcher();
    return replace(BindingController.NAME, c -> new BindingController((state, claim, delay) -> {
      Optional<PersistentVolume> best = real.findBestMatch(state, claim, delay);
      if (best.isPresent() || delay) {
        return best;
      }
      // Also consider bound volumes of the same class: a double binding.
      for (PersistentVolume pv : state.list(PersistentVolume.KIND, PersistentVolume.class)) {
        if (pv.isBound() && pv.spec().storageClassName().equals(claim.spec().storageClassName().orElse(""))
            && pv.spec().accessModes().containsAll(claim.spec().accessModes())
            && io.volumekit.core.api.Volumes.capacityBytes(pv) >= io.volumekit.core.api.Volumes.requestedBytes(claim)) {
          return Optional.of(pv);
        }
      }
      return Optional.empty();
    }, Set.of(SimObjects.DRIVER)));
  }

  /**
   * A modify controller that records a claim's new VolumeAttributesClass (claim status and PV) without
   * calling ControllerModifyVolume: the volume keeps its old parameters.
   */
  static UnaryOperator<List<Controller>> modifierSkippingTheDriver() {
    return replace(io.volumekit.core.modify.ModifyController.NAME, c -> new Forwarding(c) {
      @Override
      public io.volumekit.core.controller.Decision reconcile(ClusterState state, ObjectKey key) {
        var claim = state.get(key, io.volumekit.model.core.PersistentVolumeClaim.class);
        if (claim.isEmpty() || !claim.get().isBound() || claim.get().spec().volumeAttributesClassName().isEmpty()
            || claim.get().spec().volumeAttributesClassName().equals(claim.get().status().currentVolumeAttributesClassName())) {
          return delegate.reconcile(state, key);
        }
        var pc = claim.get();
        var pv = state.get(io.volumekit.core.api.Volumes.volumeKey(pc.volumeName().orElseThrow()),
            io.volumekit.model.core.PersistentVolume.class);
        if (pv.isEmpty()) {
          return delegate.reconcile(state, key);
        }
        var b = io.volumekit.core.controller.Decision.builder();
        b.update(pv.get().withSpec(pv.get().spec().withVolumeAttributesClassName(pc.spec().volumeAttributesClassName())));
        b.update(pc.withStatus(pc.status().withCurrentVolumeAttributesClassName(pc.spec().volumeAttributesClassName())
            .withModifyVolumeStatus(java.util.Optional.empty())));
        return b.build();
      }
    });
  }
}

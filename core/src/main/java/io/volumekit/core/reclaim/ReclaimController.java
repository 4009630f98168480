package io.volumekit.core.reclaim;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.attach.Attachments;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.core.ReclaimPolicies;
import io.volumekit.model.core.Secret;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reclaims released PersistentVolumes according to their reclaim policy, and keeps the deletion
 * finalizers that make the policy hold even when the PV is deleted before its claim.
 *
 * <p>Mirrors {@code pv_controller.go reclaimVolume} / {@code deleteVolumeOperation} and the CSI
 * provisioner library's deleter (docs/cases/reclaim.md):
 *
 * <ul>
 *   <li>{@code Retain}: nothing; the PV stays Released with its data;
 *   <li>{@code Delete}, CSI volume of a registered driver: CSI {@code DeleteVolume} (refused while a
 *       VolumeAttachment uses the PV), then the deletion finalizer is removed and the PV deleted;
 *       failures give {@code VolumeFailedDelete} and are retried with backoff;
 *   <li>{@code Delete}, CSI volume of another driver: left to that driver's external provisioner;
 *   <li>{@code Delete}, a volume no plugin can delete: phase Failed, {@code VolumeFailedDelete};
 *   <li>{@code Recycle} (deprecated): phase Failed, {@code VolumeFailedRecycle};
 *   <li>anything else: phase Failed, {@code VolumeUnknownReclaimPolicy}.
 * </ul>
 *
 * <p>Finalizers (KEP-2644, docs/cases/reclaim.md "Deletion finalizers"): {@code
 * external-provisioner.volume.kubernetes.io/finalizer} on
 * PVs provisioned by a registered driver with policy Delete, {@code kubernetes.io/pv-controller}
 * on PVs provisioned by an in-tree ({@code kubernetes.io/}) provisioner with policy Delete; each is
 * removed when the policy is no longer Delete. Deletion proceeds despite a deletionTimestamp while
 * the finalizer is there.
 */
public final class ReclaimController implements Controller {

  /** The controller's name. */
  public static final String NAME = "reclaim";

  private final Set<String> drivers;
  private final CsiMigration migration;

  /** A reclaimer acting as deleter for the named CSI drivers. */
  public ReclaimController(Set<String> drivers) {
    this(drivers, CsiMigration.all());
  }

  /**
   * A reclaimer for the named CSI drivers that treats a PV of a migrated in-tree plugin as its CSI
   * driver's: {@code pv.kubernetes.io/migrated-to} on it, the CSI finalizer instead of the in-tree
   * one, and DeleteVolume of its translated handle.
   */
  public ReclaimController(Set<String> drivers, CsiMigration migration) {
    this.drivers = Set.copyOf(drivers);
    this.migration = java.util.Objects.requireNonNull(migration, "migration");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the DeleteVolume operation of a PV. */
  public static EffectId deleteId(String pvName) {
    return EffectId.of("delete-" + pvName);
  }

  /** The volume is Released or Failed, or was provisioned: the watch's first test. */
  private static final ChangeFact RECLAIMABLE = ChangeFact.of("volume released, failed or provisioned",
      f -> f.change().afterAs(PersistentVolume.class).filter(pv -> pv.phase().equals(PersistentVolumeStatus.RELEASED)
          || pv.phase().equals(PersistentVolumeStatus.FAILED)
          || pv.metadata().annotations().containsKey(Annotations.PROVISIONED_BY)).isPresent());

  @Override
  public WatchedKinds watches() {
    // An updated volume has work only if Released, Failed or provisioned (its finalizers kept); an
    // attachment only when it goes.
    return WatchedKinds.of(PersistentVolume.KIND, VolumeAttachment.KIND)
        .only(VolumeAttachment.KIND, Change.Type.DELETED)
        .when(PersistentVolume.KIND, Change.Type.ADDED, RECLAIMABLE)
        .when(PersistentVolume.KIND, Change.Type.MODIFIED, RECLAIMABLE);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case PersistentVolume.KIND -> {
        // Released or Failed volumes are reclaimed; provisioned ones have finalizers to keep;
        // a vanished one may leave an operation to forget.
        // Each test is the reconcile's own: a vanished PV only forgets its DeleteVolume operation;
        // a PV neither Released nor Failed only gets its finalizers kept, so it is queued only
        // when they need a change.
        Optional<PersistentVolume> pv = change.afterAs(PersistentVolume.class);
        if (pv.isEmpty()) {
          if (state.operation(deleteId(change.key().name())).isPresent()) {
            enqueue.accept(change.key());
          }
        } else if ((pv.get().phase().equals(PersistentVolumeStatus.RELEASED)
            || pv.get().phase().equals(PersistentVolumeStatus.FAILED)
            || pv.get().metadata().annotations().containsKey(Annotations.PROVISIONED_BY)
                && !maintainFinalizers(pv.get()).isEmpty())
            // The PV as the state has it now, after the whole decision: the sync reads that one.
            && !state.get(change.key(), PersistentVolume.class).filter(this::deletedWithoutFinalizer).isPresent()) {
          enqueue.accept(change.key());
        }
      }
      case VolumeAttachment.KIND -> {
        if (change.type() == Change.Type.DELETED) {
          change.beforeAs(VolumeAttachment.class)
              .flatMap(va -> va.spec().source().persistentVolumeName())
              .ifPresent(pv -> enqueue.accept(Volumes.volumeKey(pv)));
        }
      }
      default -> {}
    }
  }

  /** Whether the PV was provisioned by an in-tree plugin that neither a driver nor migration deletes for. */
  private boolean lacksInTreeDeleter(String provisioner) {
    return provisioner.startsWith("kubernetes.io/") && !drivers.contains(provisioner)
        && migration.driverForProvisioner(provisioner).isEmpty();
  }

  /**
   * Whether {@link #reconcile} of the existing PV provably decides nothing: its finalizers need no
   * change, its policy is Delete, one of this deleter's drivers deletes it, and it is being deleted
   * without {@link Finalizers#EXTERNAL_PROVISIONER} (row F1: nothing to honour), whatever its phase,
   * claim or operation. Skips the sync its own last write (finalizer removed, PV deleted) queues.
   */
  private boolean deletedWithoutFinalizer(PersistentVolume pv) {
    if (!pv.metadata().isDeleting() || pv.metadata().hasFinalizer(Finalizers.EXTERNAL_PROVISIONER)
        || !pv.reclaimPolicy().equals(ReclaimPolicies.DELETE)
        || lacksInTreeDeleter(pv.metadata().annotation(Annotations.PROVISIONED_BY).orElse(""))
        || !maintainFinalizers(pv).isEmpty()) {
      return false;
    }
    return migration.csiSource(pv).filter(c -> drivers.contains(c.driver())).isPresent();
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (!key.kind().equals(PersistentVolume.KIND)) {
      return Decision.none();
    }
    Optional<PersistentVolume> found = state.get(key, PersistentVolume.class);
    EffectId opId = deleteId(key.name());
    Optional<Operation> op = state.operation(opId);
    if (found.isEmpty()) {
      // OBSERVATION: the PV is gone; forget a finished delete.
      return op.filter(o -> !o.inFlight()).map(o -> Decision.builder().forget(opId).build()).orElse(Decision.none());
    }
    PersistentVolume pv = found.get();
    String policy = pv.reclaimPolicy();
    Decision finalizers = maintainFinalizers(pv);
    if (!finalizers.isEmpty()) {
      return finalizers; // the next reconcile sees the updated object
    }
    if (!pv.phase().equals(PersistentVolumeStatus.RELEASED) && !pv.phase().equals(PersistentVolumeStatus.FAILED)) {
      return Decision.none();
    }
    if (!isVolumeReleased(state, pv)) {
      return Decision.none(); // the claim came back (docs/cases/reclaim.md)
    }
    ObjectKey pk = ObjectKey.of(pv);
    switch (policy) {
      case ReclaimPolicies.RETAIN:
        return Decision.none(); // row 4-3: data kept, PV stays Released
      case ReclaimPolicies.RECYCLE:
        return failed(pv, Reasons.VOLUME_FAILED_RECYCLE, "No recycler plugin found for the volume! The Recycle"
            + " reclaim policy is deprecated and not supported; use Delete or Retain.");
      case ReclaimPolicies.DELETE:
        break;
      default:
        return failed(pv, Reasons.VOLUME_UNKNOWN_RECLAIM_POLICY, "Volume has unrecognized PersistentVolumeReclaimPolicy");
    }
    String provisioner = pv.metadata().annotation(Annotations.PROVISIONED_BY).orElse("");
    if (lacksInTreeDeleter(provisioner)) {
      return noInTreeDeleter(pv, "no volume plugin matched name: " + provisioner);
    }
    Optional<CSIPersistentVolumeSource> csi = migration.csiSource(pv); // a migrated PV's translated source
    if (csi.isEmpty()) {
      return failed(pv, Reasons.VOLUME_FAILED_DELETE, "error getting deleter volume plugin for volume \""
          + pv.metadata().name() + "\": no volume plugin matched");
    }
    String driver = csi.get().driver();
    if (!drivers.contains(driver)) {
      return Decision.none(); // row 8-10: an external deleter's job
    }
    if (pv.metadata().isDeleting() && !pv.metadata().hasFinalizer(Finalizers.EXTERNAL_PROVISIONER)) {
      return Decision.none(); // row F1: deleted without the finalizer: nothing to honour
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Decision.none();
    }
    if (op.isPresent() && op.get().succeeded()) {
      // OBSERVATION: the backing volume is gone; drop the finalizers and the PV.
      ObjectMeta m = pv.metadata().withoutFinalizer(Finalizers.EXTERNAL_PROVISIONER)
          .withoutFinalizer(Finalizers.PV_CONTROLLER);
      Decision.Builder d = Decision.builder().forget(opId);
      if (!m.equals(pv.metadata())) {
        d.update(pv.withMetadata(m));
      }
      return d.delete(pk, pv.metadata().uid().orElse("")).build();
    }
    Decision.Builder d = Decision.builder();
    if (op.isPresent() && op.get().unreportedFailure()) {
      d.acknowledge(opId);
      d.event(EventRecord.warning(driver, pk, Reasons.VOLUME_FAILED_DELETE, op.get().failure().get().text()));
    }
    // The first attachment by name (AttachmentIndex: O(log n), not a listing of every attachment).
    java.util.List<VolumeAttachment> attached = Attachments.ofVolume(state, pv.metadata().name());
    if (!attached.isEmpty()) {
      return d.event(EventRecord.warning(driver, pk, Reasons.VOLUME_FAILED_DELETE, "persistentvolume "
          + pv.metadata().name() + " is still attached to node " + attached.get(0).spec().nodeName())).build();
    }
    Optional<Secrets> secrets = deletionSecrets(state, pv);
    if (secrets.isEmpty()) {
      return d.event(EventRecord.warning(driver, pk, Reasons.VOLUME_FAILED_DELETE, "failed to get secret "
          + pv.metadata().annotation(Annotations.DELETION_SECRET_NAMESPACE).orElse("") + "/"
          + pv.metadata().annotation(Annotations.DELETION_SECRET_NAME).orElse(""))).build();
    }
    return d.effect(new DeleteVolume(opId, pk, NAME, driver,
        new DeleteVolumeRequest(csi.get().volumeHandle(), secrets.get()))).build();
  }

  /** Row sec-d: the DeleteVolume secrets named by the PV's annotations; empty if named but missing. */
  private static Optional<Secrets> deletionSecrets(ClusterState state, PersistentVolume pv) {
    String name = pv.metadata().annotation(Annotations.DELETION_SECRET_NAME).orElse("");
    String ns = pv.metadata().annotation(Annotations.DELETION_SECRET_NAMESPACE).orElse("");
    if (name.isEmpty() || ns.isEmpty()) {
      return Optional.of(Secrets.none());
    }
    Optional<Secret> s = state.get(ObjectKey.namespaced(Secret.KIND, ns, name), Secret.class);
    return s.map(Secrets::fromSecret);
  }

  /** Row 4-6c: add or drop the deletion finalizers according to provisioner and policy. */
  private Decision maintainFinalizers(PersistentVolume pv) {
    ObjectMeta m = pv.metadata();
    // The PV controller's updateVolumeMigrationAnnotationsAndFinalizers: migrated-to first, and a
    // migrated in-tree provisioner counts as its CSI driver (the in-tree finalizer is dropped).
    Optional<ObjectMeta> annotated = migration.migrationAnnotations(m, false);
    if (annotated.isPresent()) {
      return Decision.update(pv.withMetadata(annotated.get()));
    }
    String raw = m.annotation(Annotations.PROVISIONED_BY).orElse("");
    String provisioner = migration.driverForProvisioner(raw).orElse(raw);
    if (!provisioner.equals(raw)) {
      m = m.withoutFinalizer(Finalizers.PV_CONTROLLER);
    }
    boolean delete = ReclaimPolicies.DELETE.equals(pv.reclaimPolicy());
    ObjectMeta n = m;
    if (drivers.contains(provisioner)) {
      if (delete && pv.isBound() && !m.isDeleting()) {
        n = n.withFinalizer(Finalizers.EXTERNAL_PROVISIONER);
      } else if (!delete) {
        n = n.withoutFinalizer(Finalizers.EXTERNAL_PROVISIONER);
      }
    } else if (provisioner.startsWith("kubernetes.io/")) {
      n = n.withoutFinalizer(Finalizers.EXTERNAL_PROVISIONER);
      if (delete && !m.isDeleting()) {
        n = n.withFinalizer(Finalizers.PV_CONTROLLER);
      } else if (!delete) {
        n = n.withoutFinalizer(Finalizers.PV_CONTROLLER);
      }
    }
    return n.equals(pv.metadata()) ? Decision.none() : Decision.update(pv.withMetadata(n));
  }

  /** Needs reclaiming (docs/cases/reclaim.md): the PV's claim (by uid) is gone, or is bound to another volume. */
  static boolean isVolumeReleased(ClusterState state, PersistentVolume pv) {
    Optional<ObjectReference> ref = pv.spec().claimRef();
    if (ref.isEmpty() || ref.get().uidOrEmpty().isEmpty()) {
      return false;
    }
    Optional<PersistentVolumeClaim> claim = state
        .get(Volumes.claimKey(ref.get().namespaceOrEmpty(), ref.get().nameOrEmpty()), PersistentVolumeClaim.class)
        .filter(c -> c.metadata().uid().orElse("").equals(ref.get().uidOrEmpty()));
    if (claim.isEmpty()) {
      return true;
    }
    return claim.get().volumeName().isPresent()
        && !claim.get().volumeName().get().equals(pv.metadata().name());
  }

  /**
   * A PV provisioned by an in-tree plugin: volumekit has none, so, as Kubernetes does when it cannot
   * find the plugin, the PV goes Failed with {@code VolumeFailedDelete}. Kubernetes keeps the
   * {@code kubernetes.io/pv-controller} finalizer until the plugin deletes the volume; no plugin
   * will ever do that here, so a PV being deleted lets go of the finalizer and its deletion
   * completes (see docs/cases/reclaim.md row 8-3b and docs/kubernetes-differences.md).
   */
  private static Decision noInTreeDeleter(PersistentVolume pv, String message) {
    ObjectMeta m = pv.metadata().isDeleting() ? pv.metadata().withoutFinalizer(Finalizers.PV_CONTROLLER) : pv.metadata();
    boolean report = !(pv.phase().equals(PersistentVolumeStatus.FAILED) && pv.status().message().equals(Optional.of(message)));
    if (!report && m.equals(pv.metadata())) {
      return Decision.none();
    }
    PersistentVolume n = pv.withMetadata(m).withStatus(pv.status().withPhase(Optional.of(PersistentVolumeStatus.FAILED))
        .withMessage(Optional.of(message)));
    Decision.Builder d = Decision.builder().update(n);
    if (report) {
      d.event(EventRecord.warning(Reasons.PV_CONTROLLER, ObjectKey.of(pv), Reasons.VOLUME_FAILED_DELETE, message));
    }
    return d.build();
  }

  private static Decision failed(PersistentVolume pv, String reason, String message) {
    if (pv.phase().equals(PersistentVolumeStatus.FAILED) && pv.status().message().equals(Optional.of(message))) {
      return Decision.none();
    }
    PersistentVolume n = pv.withStatus(pv.status().withPhase(Optional.of(PersistentVolumeStatus.FAILED))
        .withMessage(Optional.of(message)));
    return Decision.builder().update(n)
        .event(EventRecord.warning(Reasons.PV_CONTROLLER, ObjectKey.of(pv), reason, message)).build();
  }
}

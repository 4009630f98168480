package io.volumekit.core.binding;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClaimIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.state.VolumeIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The PersistentVolume controller's binder: binds claims to volumes, keeps both phases right and
 * hands claims with no matching volume to provisioning.
 *
 * <p>Mirrors {@code pv_controller.go} {@code syncClaim} / {@code syncUnboundClaim} / {@code
 * syncBoundClaim} / {@code syncVolume} / {@code bind} (docs/cases/binding.md, cases A, B, C and V). Keys
 * are claims, volumes, and StorageClass keys used as "re-sync the unbound claims of this class"
 * sweeps (queued when a volume becomes available or a class changes, where Kubernetes waits for
 * its periodic resync). Each branch is labelled with the row of docs/cases/binding.md it implements.
 */
public final class BindingController implements Controller {

  /** The controller's name. */
  public static final String NAME = "binding";

  private static final String SOURCE = Reasons.PV_CONTROLLER;

  private final VolumeMatcher matcher;
  private final Set<String> csiDrivers;
  private final CsiMigration migration;
  private final BindingWatch watch;

  /**
   * A binder.
   *
   * @param matcher how to find the best volume for a claim
   * @param csiDrivers names of the CSI drivers registered with the engine (they provision
   *     "externally", like CSI provisioners in Kubernetes)
   */
  public BindingController(VolumeMatcher matcher, Set<String> csiDrivers) {
    this(matcher, csiDrivers, CsiMigration.all());
  }

  /** A binder that hands claims of a migrated in-tree class to the CSI driver's provisioner. */
  public BindingController(VolumeMatcher matcher, Set<String> csiDrivers, CsiMigration migration) {
    this.matcher = Objects.requireNonNull(matcher, "matcher");
    this.csiDrivers = Set.copyOf(csiDrivers);
    this.migration = Objects.requireNonNull(migration, "migration");
    this.watch = new BindingWatch(migration);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    return WatchedKinds.of(PersistentVolumeClaim.KIND, PersistentVolume.KIND, StorageClass.KIND, Pod.KIND);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    watch.watch(state, change, enqueue);
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    switch (key.kind()) {
      case PersistentVolumeClaim.KIND -> {
        PersistentVolumeClaim c = state.get(key, PersistentVolumeClaim.class).orElse(null);
        if (c == null) {
          return Decision.none();
        }
        Optional<ObjectMeta> m = migration.migrationAnnotations(c.metadata(), true);
        // As the PV controller before each sync: the migration annotations (pv.kubernetes.io/migrated-to)
        // are brought up to date first (docs/migration.md, "Annotations and finalizers").
        return m.isPresent() ? Decision.update(c.withMetadata(m.get())) : syncClaim(state, c);
      }
      case PersistentVolume.KIND -> {
        PersistentVolume v = state.get(key, PersistentVolume.class).orElse(null);
        return v == null ? Decision.none() : syncVolume(state, v);
      }
      case StorageClass.KIND -> {
        return sweep(state, key.name());
      }
      default -> {
        return Decision.none();
      }
    }
  }

  /** Re-syncs every unbound claim of the class (and, for the default class, claims without one). */
  private Decision sweep(ClusterState state, String cls) {
    Decision.Builder d = Decision.builder();
    ClaimIndex claims = state.index(ClaimIndex.class);
    claims.unboundClaims(cls).forEach(d::enqueue);
    return d.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Claims (docs/cases/binding.md cases A, B, C)

  Decision syncClaim(ClusterState state, PersistentVolumeClaim claim) {
    if (!claim.metadata().annotations().containsKey(Annotations.BIND_COMPLETED)) {
      return syncUnboundClaim(state, claim);
    }
    return syncBoundClaim(state, claim);
  }

  private Decision syncUnboundClaim(ClusterState state, PersistentVolumeClaim claim) {
    ObjectKey ck = ObjectKey.of(claim);
    if (claim.volumeName().isEmpty()) {
      // Case A: the user did not ask for a particular volume.
      Optional<StorageClass> sc = classObject(state, claim);
      boolean delayBinding = sc.map(Volumes::isWaitForFirstConsumer).orElse(false); // A1
      Optional<PersistentVolume> pv = matcher.findBestMatch(state, claim, delayBinding);
      if (pv.isPresent()) {
        return BindWrites.bind(pv.get(), claim); // A2
      }
      if (!Volumes.hasClass(claim)) {
        Optional<StorageClass> def = Volumes.defaultClass(state.list(StorageClass.KIND, StorageClass.class));
        if (def.isPresent()) { // A3: retroactive default class (KEP-3333)
          return Decision.update(
              claim.withSpec(claim.spec().withStorageClassName(Optional.of(def.get().metadata().name()))));
        }
      }
      String cls = Volumes.storageClass(claim);
      if (delayBinding && claim.metadata().annotation(Annotations.SELECTED_NODE).isEmpty()) { // A4
        Decision.Builder d = Decision.builder();
        List<String> unscheduled = unscheduledPods(state, ck);
        if (unscheduled.isEmpty()) {
          d.event(EventRecord.normal(SOURCE, ck, Reasons.WAIT_FOR_FIRST_CONSUMER,
              "waiting for first consumer to be created before binding"));
        } else {
          d.event(EventRecord.normal(SOURCE, ck, Reasons.WAIT_FOR_POD_SCHEDULED,
              "waiting for pods " + String.join(",", unscheduled) + " to be scheduled"));
        }
        BindWrites.claimStatus(claim, PersistentVolumeClaimStatus.PENDING, Optional.empty()).ifPresent(d::update);
        return d.build();
      }
      if (!cls.isEmpty()) { // A5
        return provisionClaim(state, claim, cls, sc);
      }
      // A6: no volume and no class.
      Decision.Builder d = Decision.builder();
      d.event(EventRecord.normal(SOURCE, ck, Reasons.FAILED_BINDING,
          "no persistent volumes available for this claim and no storage class is set"));
      BindWrites.claimStatus(claim, PersistentVolumeClaimStatus.PENDING, Optional.empty()).ifPresent(d::update);
      return d.build();
    }
    // Case B: the user pre-bound the claim to a volume.
    String vn = claim.volumeName().get();
    Optional<PersistentVolume> found = state.get(Volumes.volumeKey(vn), PersistentVolume.class);
    if (found.isEmpty()) { // B1
      // Kubernetes only logs "volume requested and not found, will try again next time"; volumekit
      // explains every Pending claim, so it records that once (not again on every sync).
      Decision.Builder d = Decision.builder();
      EventRecord why = EventRecord.normal(SOURCE, ck, Reasons.FAILED_BINDING,
          "volume \"" + vn + "\" requested and not found, waiting for it to be created");
      if (!why.isRecordedIn(state)) {
        d.event(why);
      }
      BindWrites.claimStatus(claim, PersistentVolumeClaimStatus.PENDING, Optional.empty()).ifPresent(d::update);
      return d.build();
    }
    PersistentVolume pv = found.get();
    if (pv.spec().claimRef().isEmpty()) {
      Optional<String> mismatch = checkVolumeSatisfyClaim(pv, claim);
      if (mismatch.isPresent()) { // B2
        Decision.Builder d = Decision.builder();
        d.event(EventRecord.warning(SOURCE, ck, Reasons.VOLUME_MISMATCH,
            "Cannot bind to requested volume \"" + vn + "\": " + mismatch.get()));
        BindWrites.claimStatus(claim, PersistentVolumeClaimStatus.PENDING, Optional.empty()).ifPresent(d::update);
        return d.build();
      }
      return BindWrites.bind(pv, claim); // B3
    }
    if (Volumes.isBoundToClaim(pv, claim)) {
      return BindWrites.bind(pv, claim); // B4
    }
    // B5 / B6: the volume is claimed by someone else.
    Decision.Builder d = Decision.builder();
    d.event(EventRecord.warning(SOURCE, ck, Reasons.FAILED_BINDING,
        "volume \"" + vn + "\" already bound to a different claim."));
    if (!claim.metadata().annotations().containsKey(Annotations.BOUND_BY_CONTROLLER)) {
      BindWrites.claimStatus(claim, PersistentVolumeClaimStatus.PENDING, Optional.empty()).ifPresent(d::update);
    }
    return d.build();
  }

  private static List<String> unscheduledPods(ClusterState state, ObjectKey claim) {
    List<String> out = new ArrayList<>();
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      state.get(pk, Pod.class)
          .filter(p -> p.nodeName().isEmpty() && !p.metadata().isDeleting())
          .ifPresent(p -> out.add(p.metadata().name()));
    }
    return out;
  }

  /** Row A5: hand the claim to a provisioner (all provisioners are "external" CSI ones here). */
  private Decision provisionClaim(
      ClusterState state, PersistentVolumeClaim claim, String cls, Optional<StorageClass> sc) {
    ObjectKey ck = ObjectKey.of(claim);
    if (sc.isEmpty()) {
      return Decision.event(EventRecord.warning(SOURCE, ck, Reasons.PROVISIONING_FAILED,
          "storageclass.storage.k8s.io \"" + cls + "\" not found"));
    }
    // A migrated in-tree provisioner hands the claim to its CSI driver (provisionClaimOperationExternal).
    String provisioner = migration.driverForProvisioner(sc.get().provisioner()).orElse(sc.get().provisioner());
    if (provisioner.startsWith("kubernetes.io/") && !csiDrivers.contains(provisioner)) {
      // No in-tree volume plugins exist in volumekit: an in-tree name cannot be provisioned.
      return Decision.event(EventRecord.warning(SOURCE, ck, Reasons.PROVISIONING_FAILED,
          "no volume plugin matched name: " + provisioner));
    }
    Decision.Builder d = Decision.builder();
    var meta = claim.metadata();
    if (!meta.annotation(Annotations.STORAGE_PROVISIONER).equals(Optional.of(provisioner))
        || !meta.annotation(Annotations.BETA_STORAGE_PROVISIONER).equals(Optional.of(provisioner))) {
      d.update(claim.withMetadata(meta.withAnnotation(Annotations.STORAGE_PROVISIONER, provisioner)
          .withAnnotation(Annotations.BETA_STORAGE_PROVISIONER, provisioner)));
    }
    d.event(EventRecord.normal(SOURCE, ck, Reasons.EXTERNAL_PROVISIONING,
        "Waiting for a volume to be created either by the external provisioner '" + provisioner
            + "' or manually by the system administrator. If volume creation is delayed, please verify"
            + " that the provisioner is running and correctly registered."));
    return d.build();
  }

  /** Row B2: why a volume named by the claim cannot serve it, if it cannot. */
  static Optional<String> checkVolumeSatisfyClaim(PersistentVolume pv, PersistentVolumeClaim claim) {
    if (pv.metadata().isDeleting()) {
      return Optional.of("the volume is marked for deletion " + pv.metadata().name());
    }
    if (Volumes.capacityBytes(pv) < Volumes.requestedBytes(claim)) {
      return Optional.of("requested PV is too small");
    }
    if (!Volumes.storageClass(pv).equals(Volumes.storageClass(claim))) {
      return Optional.of("storageClassName does not match");
    }
    if (!Matching.sameAttributesClass(pv, claim)) {
      return Optional.of("volumeAttributesClassName does not match");
    }
    if (!pv.spec().effectiveVolumeMode().equals(claim.spec().effectiveVolumeMode())) {
      return Optional.of("incompatible volumeMode");
    }
    if (!pv.spec().accessModes().containsAll(claim.spec().accessModes())) {
      return Optional.of("incompatible accessMode");
    }
    return Optional.empty();
  }

  private Decision syncBoundClaim(ClusterState state, PersistentVolumeClaim claim) {
    ObjectKey ck = ObjectKey.of(claim);
    if (claim.volumeName().isEmpty()) { // C1
      return lost(claim, ck, "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
          Reasons.CLAIM_LOST);
    }
    Optional<PersistentVolume> found =
        state.get(Volumes.volumeKey(claim.volumeName().get()), PersistentVolume.class);
    if (found.isEmpty()) { // C2
      return lost(claim, ck, "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
          Reasons.CLAIM_LOST);
    }
    PersistentVolume pv = found.get();
    if (pv.spec().claimRef().isEmpty()) {
      return BindWrites.bind(pv, claim); // C3
    }
    if (Volumes.isBoundToClaim(pv, claim) && !pv.spec().claimRef().get().uidOrEmpty().isEmpty()) {
      return BindWrites.bind(pv, claim); // C4
    }
    return lost(claim, ck, "Two claims are bound to the same volume, this one is bound incorrectly",
        Reasons.CLAIM_MISBOUND); // C5
  }

  private static Decision lost(PersistentVolumeClaim claim, ObjectKey ck, String message, String reason) {
    Optional<PersistentVolumeClaim> updated = BindWrites.claimStatus(claim, PersistentVolumeClaimStatus.LOST, Optional.empty());
    if (updated.isEmpty()) {
      return Decision.none();
    }
    Decision.Builder d = Decision.builder().update(updated.get());
    if (!claim.phase().equals(PersistentVolumeClaimStatus.LOST)) {
      d.event(EventRecord.warning(SOURCE, ck, reason, message));
    }
    return d.build();
  }

  private static Optional<StorageClass> classObject(ClusterState state, PersistentVolumeClaim claim) {
    String cls = Volumes.storageClass(claim);
    return cls.isEmpty() ? Optional.empty() : state.get(Volumes.classKey(cls), StorageClass.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Volumes (docs/cases/binding.md case V)

  Decision syncVolume(ClusterState state, PersistentVolume pv) {
    Decision.Builder d = Decision.builder();
    if (pv.spec().claimRef().isEmpty() || pv.spec().claimRef().get().uidOrEmpty().isEmpty()) {
      // V1 / V2: free, or pre-bound to a claim that has not bound yet.
      return updated(pv, BindWrites.volumePhase(pv, PersistentVolumeStatus.AVAILABLE, Optional.empty()));
    }
    ObjectReference ref = pv.spec().claimRef().get();
    Optional<PersistentVolumeClaim> claim =
        state.get(Volumes.claimKey(ref.namespaceOrEmpty(), ref.nameOrEmpty()), PersistentVolumeClaim.class)
            .filter(c -> c.metadata().uid().orElse("").equals(ref.uidOrEmpty())); // V3 / V4
    if (claim.isEmpty()) { // V5: the claim is gone; reclaim (reclaim controller) follows.
      if (pv.phase().equals(PersistentVolumeStatus.RELEASED) || pv.phase().equals(PersistentVolumeStatus.FAILED)) {
        return Decision.none();
      }
      return updated(pv, BindWrites.volumePhase(pv, PersistentVolumeStatus.RELEASED, Optional.empty()));
    }
    PersistentVolumeClaim c = claim.get();
    if (c.volumeName().isEmpty()) {
      if (!pv.spec().effectiveVolumeMode().equals(c.spec().effectiveVolumeMode())) { // V6
        String msg = "Cannot bind PersistentVolume to requested PersistentVolumeClaim \"" + c.metadata().name()
            + "\" due to incompatible volumeMode.";
        d.event(EventRecord.warning(SOURCE, ObjectKey.of(pv), Reasons.VOLUME_MISMATCH, msg));
        d.event(EventRecord.warning(SOURCE, ObjectKey.of(c), Reasons.VOLUME_MISMATCH, msg));
        return d.build();
      }
      return Decision.none(); // V7: the claim's sync finishes the binding.
    }
    if (c.volumeName().get().equals(pv.metadata().name())) { // V8
      return updated(pv, BindWrites.volumePhase(pv, PersistentVolumeStatus.BOUND, Optional.empty()));
    }
    // The claim is bound to another volume.
    if (pv.metadata().annotations().containsKey(Annotations.PROVISIONED_BY)
        && "Delete".equals(pv.reclaimPolicy())) { // V9: an orphan provisioned volume.
      if (pv.phase().equals(PersistentVolumeStatus.RELEASED) || pv.phase().equals(PersistentVolumeStatus.FAILED)) {
        return Decision.none();
      }
      return updated(pv, BindWrites.volumePhase(pv, PersistentVolumeStatus.RELEASED, Optional.empty()));
    }
    return unbindVolume(pv); // V10 / V11
  }

  /** Rows V10 / V11: clear a controller binding, or only the uid of a user pre-binding; phase Available. */
  static Decision unbindVolume(PersistentVolume pv) {
    PersistentVolume n;
    if (pv.metadata().annotations().containsKey(Annotations.BOUND_BY_CONTROLLER)) {
      n = pv.withSpec(pv.spec().withClaimRef(Optional.empty()))
          .withMetadata(pv.metadata().withoutAnnotation(Annotations.BOUND_BY_CONTROLLER));
    } else {
      n = pv.withSpec(pv.spec().withClaimRef(pv.spec().claimRef().map(r -> r.withUid(Optional.empty()))));
    }
    return updated(pv, BindWrites.volumePhase(n, PersistentVolumeStatus.AVAILABLE, Optional.empty()));
  }

  private static Decision updated(PersistentVolume before, PersistentVolume after) {
    return after.equals(before) ? Decision.none() : Decision.update(after);
  }
}

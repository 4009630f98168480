package io.volumekit.core.provisioning;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.datasource.ReferenceGrants;
import io.volumekit.model.gateway.ReferenceGrant;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.migration.TranslationException;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.effect.CreateVolume;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClaimIndex;
import io.volumekit.core.snapshot.Snapshots;
import io.volumekit.core.state.AttributesClassIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.DataSourceIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSourceBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.core.ReclaimPolicies;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.core.VolumeModes;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttributesClass;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The CSI external-provisioner for every driver registered with the engine: creates a volume
 * through CSI {@code CreateVolume} for each claim handed to it and stores the PersistentVolume.
 *
 * <p>Mirrors {@code external-provisioner pkg/controller/controller.go} and the provisioner
 * library's {@code provisionClaimOperation} (docs/cases/provisioning.md): the claim must carry
 * the provisioner annotation the binder wrote, and for WaitForFirstConsumer the selected-node
 * annotation; the volume is named {@code pvc-<claim uid>} so a retried call (same name) finds the
 * volume already made; parameters with the {@code csi.storage.k8s.io/} prefix are stripped; the
 * provisioner secret is read and sent; the PV carries the claimRef, the class's reclaim policy,
 * mount options, secret references, the node affinity of the accessible topology, {@code
 * pv.kubernetes.io/provisioned-by} and, for Delete, the provisioner's deletion finalizer. If the
 * claim disappears, or is bound to another PV, while CreateVolume may still be running, the call is
 * repeated to learn the volume and then the volume is deleted instead of stored as a PV, so nothing
 * leaks and no PV is left pre-bound to the claim's name.
 *
 * <p>A claim with a data source is never provisioned empty ({@link DataSources}): a ready
 * VolumeSnapshot or a Bound claim becomes the CreateVolume {@code volume_content_source}, a source
 * that is not usable yet is reported ({@code ProvisioningFailed}) and retried when it changes, and
 * any other kind is left to an external populator ({@code Provisioning} event).
 */
public final class ProvisioningController implements Controller {

  /** The controller's name. */
  public static final String NAME = "provisioning";

  private final Set<String> drivers;
  // The drivers' controller capabilities, when known (restore needs CREATE_DELETE_SNAPSHOT, clone
  // needs CLONE_VOLUME, as external-provisioner's checkDriverCapabilities).
  private final Map<String, Set<ControllerCapability>> capabilities;
  private final CsiMigration migration;
  // The CrossNamespaceVolumeDataSource gate (off by default, as in Kubernetes).
  private final boolean crossNamespace;

  /**
   * A provisioner acting for the named CSI drivers whose capabilities it does not know: a claim
   * with a snapshot or claim data source is sent to CreateVolume with its content source, and the
   * driver's answer decides.
   */
  public ProvisioningController(Set<String> drivers) {
    this.drivers = Set.copyOf(drivers);
    this.capabilities = Map.of();
    this.migration = CsiMigration.all();
    this.crossNamespace = false;
  }

  /** A provisioner acting for the drivers, with their controller capabilities (ControllerGetCapabilities). */
  public ProvisioningController(Map<String, ? extends Set<ControllerCapability>> capabilities) {
    this(capabilities, CsiMigration.all());
  }

  /**
   * A provisioner for the drivers that also provisions classes of the migrated in-tree
   * provisioners: the class translated for the CSI driver, the PV stored in its in-tree form.
   */
  public ProvisioningController(Map<String, ? extends Set<ControllerCapability>> capabilities, CsiMigration migration) {
    this.migration = java.util.Objects.requireNonNull(migration, "migration");
    this.drivers = Set.copyOf(capabilities.keySet());
    Map<String, Set<ControllerCapability>> m = new TreeMap<>();
    capabilities.forEach((k, v) -> m.put(k, Set.copyOf(v)));
    this.capabilities = Map.copyOf(m);
    this.crossNamespace = false;
  }

  private ProvisioningController(ProvisioningController base, boolean crossNamespace) {
    this.drivers = base.drivers;
    this.capabilities = base.capabilities;
    this.migration = base.migration;
    this.crossNamespace = crossNamespace;
  }

  /**
   * This provisioner with the {@code CrossNamespaceVolumeDataSource} feature gate on or off: on, a
   * {@code dataSourceRef} to another namespace is used when a ReferenceGrant there allows it
   * (otherwise {@code ProvisioningFailed} "accessing ... isn't allowed"); off (the default), it is
   * refused.
   */
  public ProvisioningController withCrossNamespaceVolumeDataSource(boolean enabled) {
    return new ProvisioningController(this, enabled);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the CreateVolume operation for a claim key. */
  public static EffectId provisionId(ObjectKey claim) {
    return EffectId.of("provision-" + claim.namespacedName());
  }

  /** The id of the DeleteVolume that cleans up after a claim that vanished mid-provisioning. */
  public static EffectId cleanupId(ObjectKey claim) {
    return EffectId.of("provision-cleanup-" + claim.namespacedName());
  }

  /** The claim may need provisioning (or owns an operation), by the watch's own test. */
  private static final ChangeFact MAY_PROVISION = ChangeFact.of("claim to provision",
      f -> ClaimsToProvision.concerns(f.state(), f.change().key(), f.change().afterAs(PersistentVolumeClaim.class)));

  @Override
  public WatchedKinds watches() {
    // A volume's update queues nothing (its claim's does); a claim matters when it may need
    // provisioning or is the data source of others.
    return WatchedKinds.of(PersistentVolumeClaim.KIND, PersistentVolume.KIND, StorageClass.KIND, Secret.KIND,
        VolumeSnapshot.KIND, VolumeSnapshotContent.KIND, VolumeAttributesClass.KIND, ReferenceGrant.KIND)
        .only(PersistentVolume.KIND, Change.Type.ADDED, Change.Type.DELETED)
        .when(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, MAY_PROVISION, ChangeFact.DEPENDENTS);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case PersistentVolumeClaim.KIND -> {
        // Only claims that may need provisioning, or that own an operation, concern this controller
        // (external-provisioner's shouldProvision): without a class or the binder's
        // storage-provisioner annotation, provision() decides nothing, so no sync is queued.
        if (ClaimsToProvision.concerns(state, change.key(), change.afterAs(PersistentVolumeClaim.class))) {
          enqueue.accept(change.key());
        }
        // A clone source may have become Bound (or gone): its clones wait on it.
        enqueueDependents(state, change.key(), enqueue);
      }
      case VolumeSnapshot.KIND -> enqueueDependents(state, change.key(), enqueue);
      case VolumeSnapshotContent.KIND -> {
        Optional<VolumeSnapshotContent> c = change.afterAs(VolumeSnapshotContent.class)
            .or(() -> change.beforeAs(VolumeSnapshotContent.class));
        c.ifPresent(content -> enqueueDependents(state, Snapshots.snapshotKey(content), enqueue));
      }
      case PersistentVolume.KIND -> {
        if (change.type() != Change.Type.MODIFIED) {
          Optional<PersistentVolume> pv = change.afterAs(PersistentVolume.class).or(() -> change.beforeAs(PersistentVolume.class));
          // Its claim, by the same test as a claim change (a PV gone with its claim concerns nobody).
          pv.flatMap(Volumes::claimRefKey)
              .filter(c -> ClaimsToProvision.concerns(state, c, state.get(c, PersistentVolumeClaim.class)))
              .filter(c -> !ClaimsToProvision.provisionedAlready(state, c, migration))
              .ifPresent(enqueue);
        }
      }
      case StorageClass.KIND ->
          state.index(ClaimIndex.class).unboundClaims(change.key().name()).forEach(enqueue);
      case ReferenceGrant.KIND -> {
        // A grant appeared, changed or went: the claims using a data source in its namespace.
        if (crossNamespace) {
          for (PersistentVolumeClaim c : state.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
            if (c.volumeName().isEmpty()
                && ReferenceGrants.crossNamespace(c).filter(change.key().namespace()::equals).isPresent()) {
              enqueue.accept(ObjectKey.of(c));
            }
          }
        }
      }
      case VolumeAttributesClass.KIND ->
          // Claims waiting for their VolumeAttributesClass to provision.
          state.index(AttributesClassIndex.class).claims(change.key().name()).forEach(enqueue);
      case Secret.KIND -> {
        // A provisioner secret may have appeared: retry the claims still waiting.
        for (StorageClass sc : state.list(StorageClass.KIND, StorageClass.class)) {
          if (drivers.contains(migration.driverForProvisioner(sc.provisioner()).orElse(sc.provisioner()))) {
            state.index(ClaimIndex.class).unboundClaims(sc.metadata().name()).forEach(enqueue);
          }
        }
      }
      default -> {}
    }
  }

  /** Enqueues the claims whose data source is the object with the key. */
  private static void enqueueDependents(ClusterState state, ObjectKey source, Consumer<ObjectKey> enqueue) {
    for (ObjectKey k : state.index(DataSourceIndex.class).dependents(source)) {
      if (k.kind().equals(PersistentVolumeClaim.KIND)) {
        enqueue.accept(k);
      }
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (!key.kind().equals(PersistentVolumeClaim.KIND)) {
      return Decision.none();
    }
    Optional<PersistentVolumeClaim> claim = state.get(key, PersistentVolumeClaim.class);
    Optional<Operation> op = state.operation(provisionId(key));
    if (op.isPresent()) {
      return handleOperation(state, key, claim, op.get());
    }
    return claim.map(c -> provision(state, c, true, Optional.empty())).orElse(Decision.none());
  }

  private Decision handleOperation(
      ClusterState state, ObjectKey key, Optional<PersistentVolumeClaim> claim, Operation op) {
    if (op.inFlight()) {
      return Decision.none();
    }
    CreateVolume effect = (CreateVolume) op.effect();
    String pvName = effect.request().name();
    // A claim wants the volume while it is the same object (uid) and is not bound to another PV
    // meanwhile (the binder may bind it to a matching static PV while CreateVolume is uncertain;
    // external-provisioner then deletes the new volume as for a vanished claim).
    boolean wanted = claim.isPresent()
        && claim.get().metadata().uid().map(u -> pvName.equals("pvc-" + u)).orElse(false)
        && claim.get().volumeName().map(pvName::equals).orElse(true);
    if (op.succeeded()) {
      CreateVolumeResponse resp = op.resultAs(CreateVolumeResponse.class).orElseThrow();
      if (wanted) {
        // OBSERVATION: the driver made the volume and the claim still wants it.
        Decision.Builder d = Decision.builder().forget(op.id());
        if (!state.contains(Volumes.volumeKey(pvName))) {
          Optional<PersistentVolume> pv = buildVolume(state, claim.get(), effect, resp);
          if (pv.isPresent()) {
            d.create(pv.get());
            d.event(EventRecord.normal(effect.driver(), key, Reasons.PROVISIONING_SUCCEEDED,
                "Successfully provisioned volume " + pvName));
          }
        }
        return d.build();
      }
      // OBSERVATION: the volume exists but its claim is gone or bound to another PV: delete it so
      // it does not leak.
      return cleanup(state, key, op, effect, resp.volume().volumeId());
    }
    // OBSERVATION: CreateVolume failed.
    EffectFailure f = op.failure().orElseThrow();
    Decision.Builder d = Decision.builder();
    if (op.unreportedFailure()) {
      d.acknowledge(op.id());
      if (claim.isPresent()) {
        String cls = Volumes.storageClass(claim.get());
        d.event(EventRecord.warning(effect.driver(), key, Reasons.PROVISIONING_FAILED,
            "failed to provision volume with StorageClass \"" + cls + "\": " + f.text()));
        if (f.code() == CsiCode.RESOURCE_EXHAUSTED
            && effect.request().accessibilityRequirements().isPresent()
            && claim.get().metadata().annotation(Annotations.SELECTED_NODE).isPresent()) {
          // row resched-1: ask the scheduler for another node.
          d.update(claim.get().withMetadata(claim.get().metadata().withoutAnnotation(Annotations.SELECTED_NODE)));
          return d.build();
        }
      }
    }
    if (wanted && !state.contains(Volumes.volumeKey(pvName))) {
      // Retry, rebuilding the request (same name) from the current objects; the runtime waits out
      // the backoff.
      // After an uncertain failure the driver may have made the volume with the class asked for
      // then: the repeat keeps those mutable parameters (CSI idempotency) even if the claim's
      // VolumeAttributesClass changed meanwhile; the modify controller applies the new one later.
      Decision retry = provision(state, claim.get(), false, op.uncertain() ? Optional.of(effect) : Optional.empty());
      if (!retry.effects().isEmpty()) {
        return d.build().and(retry);
      }
      d = d.build().and(retry).toBuilder();
    }
    // OBSERVATION: the claim no longer wants this volume.
    if (op.uncertain()) {
      // The driver may have made the volume: repeat the same call to learn it, then delete it.
      return d.effect(effect).build();
    }
    return d.forget(op.id()).build();
  }


  private Decision cleanup(ClusterState state, ObjectKey key, Operation op, CreateVolume effect, String volumeId) {
    EffectId cid = cleanupId(key);
    Optional<Operation> cop = state.operation(cid);
    if (cop.isPresent() && cop.get().inFlight()) {
      return Decision.none();
    }
    if (cop.isPresent() && cop.get().succeeded()) {
      return Decision.builder().forget(cid).forget(op.id()).build();
    }
    Decision.Builder d = Decision.builder();
    if (cop.isPresent() && cop.get().unreportedFailure()) {
      d.acknowledge(cid);
    }
    return d.effect(new DeleteVolume(cid, key, NAME, effect.driver(),
        new DeleteVolumeRequest(volumeId, effect.request().secrets()))).build();
  }

  /** Issues CreateVolume for the claim if it should be provisioned now (docs/cases/provisioning.md, "CreateVolume"). */
  private Decision provision(ClusterState state, PersistentVolumeClaim claim, boolean firstAttempt,
      Optional<CreateVolume> uncertain) {
    ObjectKey key = ObjectKey.of(claim);
    if (claim.volumeName().isPresent() || claim.metadata().isDeleting()) {
      return Decision.none();
    }
    String cls = Volumes.storageClass(claim);
    if (cls.isEmpty()) {
      return Decision.none();
    }
    Optional<StorageClass> stored = state.get(Volumes.classKey(cls), StorageClass.class);
    String driver = stored.map(s -> migration.driverForProvisioner(s.provisioner()).orElse(s.provisioner())).orElse("");
    if (!drivers.contains(driver)) {
      return Decision.none();
    }
    Optional<StorageClass> sc;
    try {
      // A migrated in-tree class, as its CSI driver reads it (csi-translation-lib's TranslateInTreeStorageClassToCSI).
      sc = stored.map(migration::toCsi).map(s -> s.withProvisioner(driver));
    } catch (TranslationException e) {
      return Decision.event(EventRecord.warning(driver, key, Reasons.PROVISIONING_FAILED,
          "failed to translate in-tree storage class \"" + cls + "\": " + e.getMessage()));
    }
    String ann = claim.metadata().annotation(Annotations.STORAGE_PROVISIONER)
        .or(() -> claim.metadata().annotation(Annotations.BETA_STORAGE_PROVISIONER)).orElse("");
    if (!ann.equals(driver)) {
      return Decision.none(); // the binder has not handed the claim to this provisioner (yet)
    }
    Optional<String> node = claim.metadata().annotation(Annotations.SELECTED_NODE).filter(n -> !n.isEmpty());
    if (Volumes.isWaitForFirstConsumer(sc.get()) && node.isEmpty()) {
      return Decision.none();
    }
    String pvName = Volumes.provisionedVolumeName(claim);
    if (state.contains(Volumes.volumeKey(pvName))) {
      return Decision.none(); // row 11-7: already provisioned
    }
    String prefix = "failed to provision volume with StorageClass \"" + cls + "\": ";
    // 7.5-7.8: a data source is restored, cloned, left to a populator, or not usable yet; never
    // silently dropped (an empty volume would lose the data the user asked for).
    DataSources.Resolution source = DataSources.resolve(state, claim, sc.get(), Optional.ofNullable(capabilities.get(driver)),
        crossNamespace);
    if (source instanceof DataSources.Resolution.Failed f) {
      return Decision.event(EventRecord.warning(driver, key, Reasons.PROVISIONING_FAILED, prefix + f.message()));
    }
    if (source instanceof DataSources.Resolution.Populator) {
      // A populator registered with the engine (PopulatorController) or outside it fills the claim.
      return Decision.event(EventRecord.normal(driver, key, Reasons.PROVISIONING,
          "Assuming an external populator will provision the volume"));
    }
    if (claim.spec().selector().isPresent()) {
      return Decision.event(EventRecord.warning(driver, key, Reasons.PROVISIONING_FAILED,
          prefix + "claim Selector is not supported"));
    }
    CreateVolumeRequest request;
    try {
      request = CreateVolumeRequests.of(state, claim, sc.get(), pvName, node, uncertain.isPresent());
    } catch (SecretParams.ParameterException e) {
      return Decision.event(EventRecord.warning(driver, key, Reasons.PROVISIONING_FAILED, prefix + e.getMessage()));
    }
    if (source instanceof DataSources.Resolution.Source src) {
      request = request.withContentSource(src.source());
    }
    Decision.Builder d = Decision.builder();
    if (firstAttempt) {
      d.event(EventRecord.normal(driver, key, Reasons.PROVISIONING,
          "External provisioner is provisioning volume for claim \"" + key.namespacedName() + "\""));
    }
    Optional<String> vacName = claim.spec().volumeAttributesClassName().filter(n -> !n.isEmpty());
    if (uncertain.isPresent()) {
      request = request.withMutableParameters(uncertain.get().request().mutableParameters());
      vacName = uncertain.get().volumeAttributesClassName();
    }
    return d.effect(new CreateVolume(provisionId(key), key, NAME, driver, request, vacName)).build();
  }

  /** Row 11-1b: the PersistentVolume for a created volume. */
  private Optional<PersistentVolume> buildVolume(
      ClusterState state, PersistentVolumeClaim claim, CreateVolume effect, CreateVolumeResponse resp) {
    String cls = Volumes.storageClass(claim);
    // The class may have been deleted since CreateVolume was issued: the volume exists, so the PV
    // is stored anyway (with the class defaults) rather than leaking the volume.
    StorageClass c = state.get(Volumes.classKey(cls), StorageClass.class)
        .orElseGet(() -> io.volumekit.model.storage.StorageClassBuilder.builder()
            .metadata(ObjectMeta.named(cls)).provisioner(effect.driver()).build());
    String provisionedBy = migration.driverForProvisioner(c.provisioner()).isPresent() ? c.provisioner() : effect.driver();
    try {
      c = migration.toCsi(c);
    } catch (TranslationException e) {
      // reported when the request was built; the PV keeps the class's untranslated secrets
    }
    String pvName = effect.request().name();
    long bytes = resp.volume().capacityBytes() > 0 ? resp.volume().capacityBytes() : Volumes.requestedBytes(claim);
    String policy = c.reclaimPolicy().orElse(ReclaimPolicies.DELETE);
    Map<String, String> attrs = new TreeMap<>(resp.volume().volumeContext());
    attrs.put(Annotations.CSI_PROVISIONER_IDENTITY, "volumekit-" + effect.driver());
    boolean block = VolumeModes.BLOCK.equals(claim.spec().effectiveVolumeMode());
    String fs = CreateVolumeRequests.fsType(c);
    var csi = CSIPersistentVolumeSourceBuilder.builder()
        .driver(effect.driver())
        .volumeHandle(resp.volume().volumeId())
        .fsType(block || fs.isEmpty() ? Optional.empty() : Optional.of(fs))
        .volumeAttributes(ImmutableMap.copyOf(attrs))
        .controllerPublishSecretRef(secretRef(SecretParams.Operation.CONTROLLER_PUBLISH, c, pvName, claim))
        .nodeStageSecretRef(secretRef(SecretParams.Operation.NODE_STAGE, c, pvName, claim))
        .nodePublishSecretRef(secretRef(SecretParams.Operation.NODE_PUBLISH, c, pvName, claim))
        .controllerExpandSecretRef(secretRef(SecretParams.Operation.CONTROLLER_EXPAND, c, pvName, claim))
        .nodeExpandSecretRef(secretRef(SecretParams.Operation.NODE_EXPAND, c, pvName, claim))
        .build();
    Optional<SecretReference> deletion = secretRef(SecretParams.Operation.PROVISIONER, c, pvName, claim);
    ObjectMeta meta = ObjectMetaBuilder.builder()
        .name(pvName)
        .annotations(ImmutableMap.of(
            Annotations.PROVISIONED_BY, provisionedBy,
            Annotations.DELETION_SECRET_NAME, deletion.map(SecretReference::name).orElse(""),
            Annotations.DELETION_SECRET_NAMESPACE, deletion.flatMap(SecretReference::namespace).orElse("")))
        .finalizers(policy.equals(ReclaimPolicies.DELETE) ? ImmutableList.of(Finalizers.EXTERNAL_PROVISIONER) : ImmutableList.of())
        .build();
    ObjectReference claimRef = Volumes.claimReference(claim);
    var spec = PersistentVolumeSpecBuilder.builder()
        .capacity(ImmutableMap.of("storage", Quantity.ofBytes(bytes)))
        .accessModes(claim.spec().accessModes())
        .claimRef(Optional.of(claimRef))
        .persistentVolumeReclaimPolicy(Optional.of(policy))
        .storageClassName(cls)
        .mountOptions(c.mountOptions())
        .volumeMode(claim.spec().volumeMode())
        .nodeAffinity(TopologyPlanner.nodeAffinity(resp.volume().accessibleTopology()))
        .volumeAttributesClassName(effect.volumeAttributesClassName())
        .csi(Optional.of(csi))
        .build();
    PersistentVolume pv = PersistentVolumeBuilder.builder().metadata(meta).spec(spec).build();
    if (provisionedBy.equals(effect.driver())) {
      return Optional.of(pv);
    }
    try {
      // The external-provisioner stores a migrated class's volume in its in-tree form (TranslateCSIPVToInTree).
      return Optional.of(migration.toInTree(pv));
    } catch (TranslationException e) {
      return Optional.of(pv); // a handle with no in-tree form: kept as a CSI PV (docs/migration.md)
    }
  }

  private static Optional<SecretReference> secretRef(
      SecretParams.Operation op, StorageClass sc, String pvName, PersistentVolumeClaim claim) {
    try {
      return SecretParams.resolve(op, sc.parameters(), pvName, claim);
    } catch (SecretParams.ParameterException e) {
      return Optional.empty(); // reported when the request was built
    }
  }

  @Override
  public String toString() {
    return "ProvisioningController" + new java.util.TreeSet<>(drivers);
  }
}

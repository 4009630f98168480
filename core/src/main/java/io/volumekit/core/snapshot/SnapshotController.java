package io.volumekit.core.snapshot;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.DataSourceIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotContentBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotStatus;
import io.volumekit.model.snapshot.VolumeSnapshotStatusBuilder;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The snapshot controller (external-snapshotter's common controller, {@code
 * pkg/common-controller/snapshot_controller.go}; docs/cases/snapshots.md): binds each
 * VolumeSnapshot to a VolumeSnapshotContent and mirrors the content's status into the snapshot.
 *
 * <ul>
 *   <li>Class check ({@link SnapshotClassGate}), before anything else: a named class must exist
 *       ({@code GetSnapshotClassFailed}; a snapshot being deleted is synced without it); a dynamic
 *       snapshot naming none gets its driver's default class ({@code
 *       snapshot.storage.kubernetes.io/is-default-class}) written, which needs its claim Bound to a
 *       CSI volume ({@code SetDefaultSnapshotClassFailed}). Until then nothing below happens.
 *   <li>Dynamic ({@code source.persistentVolumeClaimName}): the claim must be Bound to a CSI volume
 *       (else the snapshot waits, with {@code SnapshotContentCreationFailed});
 *       the claim gets {@code pvc-as-source-protection} first (a claim being
 *       deleted cannot get it) and keeps it while any snapshot of it is not ready, also one being
 *       deleted ({@link SourceClaimProtection}; every snapshot sync checks it); the content
 *       {@code snapcontent-<snapshot uid>} is created with the volume handle, the class's driver and
 *       deletion policy, the source volume mode and the deletion-secret annotations.
 *   <li>Pre-provisioned ({@code source.volumeSnapshotContentName}): the content's volumeSnapshotRef
 *       must name the snapshot; its uid is filled in.
 *   <li>Status: {@code boundVolumeSnapshotContentName}, {@code creationTime}, {@code readyToUse},
 *       {@code restoreSize}, {@code error} from the content; events {@code SnapshotCreated}, {@code
 *       SnapshotReady}. Finalizers {@code volumesnapshot-as-source-protection} (always) and {@code
 *       volumesnapshot-bound-protection} (content policy Delete).
 *   <li>Deletion: waits ({@code SnapshotDeletePending}) while a Pending claim restores from the
 *       snapshot; then deletes a Delete-policy content and keeps the bound finalizer until the content
 *       is gone. A content whose snapshot is gone is deleted (Delete) or released from its finalizer
 *       (Retain).
 * </ul>
 *
 * The CSI calls are made by {@link CsiSnapshotter}, per driver.
 */
public final class SnapshotController implements Controller {

  /** The controller's name. */
  public static final String NAME = "snapshot-controller";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    // A claim matters to the snapshots waiting for it and to the one it restores from.
    return WatchedKinds.of(VolumeSnapshot.KIND, VolumeSnapshotContent.KIND, PersistentVolumeClaim.KIND,
        VolumeSnapshotClass.KIND)
        .when(PersistentVolumeClaim.KIND, ChangeFact.DEPENDENTS, ChangeFact.CLAIM_DATA_SOURCE);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case VolumeSnapshot.KIND -> {
        enqueue.accept(change.key());
        if (change.after().isEmpty()) {
          // The snapshot is gone: its content may have to be deleted or released, and the other
          // snapshots of its source claim may now let the claim go (as a resync would find); with
          // none left, the claim itself is checked (docs/cases/snapshots.md, snap-7).
          change.beforeAs(VolumeSnapshot.class).ifPresent(s -> {
            s.status().boundVolumeSnapshotContentName().ifPresent(n -> enqueue.accept(Snapshots.contentKey(n)));
            s.spec().source().persistentVolumeClaimName().ifPresent(n -> {
              ObjectKey claim = Volumes.claimKey(change.key().namespace(), n);
              List<ObjectKey> others = SourceClaimProtection.snapshotsOf(state, claim);
              others.forEach(enqueue);
              if (others.isEmpty()) {
                enqueue.accept(claim);
              }
            });
          });
        }
      }
      case VolumeSnapshotContent.KIND -> {
        enqueue.accept(change.key());
        change.afterAs(VolumeSnapshotContent.class).or(() -> change.beforeAs(VolumeSnapshotContent.class))
            .ifPresent(c -> enqueue.accept(Snapshots.snapshotKey(c)));
      }
      case PersistentVolumeClaim.KIND -> {
        // Snapshots waiting for this claim to be Bound.
        SourceClaimProtection.snapshotsOf(state, change.key()).forEach(enqueue);
        // A snapshot being deleted waits for the claims restoring from it.
        if (change.object() instanceof PersistentVolumeClaim c && c.spec().dataSource().isPresent()
            && c.spec().dataSource().get().kind().equals(VolumeSnapshot.KIND)) {
          enqueue.accept(Snapshots.snapshotKey(change.key().namespace(), c.spec().dataSource().get().name()));
        }
      }
      case VolumeSnapshotClass.KIND -> {
        // A (default) class appeared or went: snapshots still without content, and those naming
        // it, pass or fail the class check anew. Classes change rarely; this lists the snapshots.
        for (VolumeSnapshot s : state.list(VolumeSnapshot.KIND, VolumeSnapshot.class)) {
          if (s.status().boundVolumeSnapshotContentName().isEmpty()
              || s.spec().volumeSnapshotClassName().equals(Optional.of(change.key().name()))) {
            enqueue.accept(ObjectKey.of(s));
          }
        }
      }
      default -> {}
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (key.kind().equals(VolumeSnapshotContent.KIND)) {
      return state.get(key, VolumeSnapshotContent.class).map(c -> orphanContent(state, c)).orElse(Decision.none());
    }
    if (key.kind().equals(PersistentVolumeClaim.KIND)) {
      // Queued when the last snapshot of the claim went without letting it go (kubernetes-differences row 187).
      return SourceClaimProtection.orphaned(state, key).map(Decision::update).orElse(Decision.none());
    }
    if (!key.kind().equals(VolumeSnapshot.KIND)) {
      return Decision.none();
    }
    Optional<VolumeSnapshot> found = state.get(key, VolumeSnapshot.class);
    if (found.isEmpty()) {
      return Decision.none();
    }
    // The class is settled before anything else (docs/cases/snapshots.md, snap-2, snap-3, snap-class).
    SnapshotClassGate.Outcome gate = SnapshotClassGate.check(state, found.get());
    if (gate.toSync().isEmpty()) {
      return gate.recorded();
    }
    VolumeSnapshot snap = gate.toSync().get();
    return gate.recorded().and(SnapshotClassGate.withChange(found.get(), snap, sync(state, snap)));
  }

  /** A sync of a snapshot whose class is settled (or gone, when it is being deleted). */
  private Decision sync(ClusterState state, VolumeSnapshot snap) {
    // Every sync past the class check, also of a snapshot being deleted, first takes
    // pvc-as-source-protection off its source claim when no snapshot of the claim is still being cut
    // (docs/cases/snapshots.md, snap-7).
    Optional<PersistentVolumeClaim> released = SourceClaimProtection.released(state, snap, false);
    Decision release = released.map(Decision::update).orElse(Decision.none());
    if (snap.metadata().isDeleting()) {
      return release.and(deleting(state, snap, released.isPresent()));
    }
    if (snap.spec().source().persistentVolumeClaimName().isPresent()) {
      return release.and(dynamic(state, snap));
    }
    return release.and(preProvisioned(state, snap));
  }

  // --- dynamic -------------------------------------------------------------------------------

  private Decision dynamic(ClusterState state, VolumeSnapshot snap) {
    ObjectKey key = ObjectKey.of(snap);
    String contentName = snap.status().boundVolumeSnapshotContentName().orElse(Snapshots.contentName(snap));
    Optional<VolumeSnapshotContent> content = state.get(Snapshots.contentKey(contentName), VolumeSnapshotContent.class);
    if (content.isPresent()) {
      // OBSERVATION: the content exists: keep the snapshot's status in step with it.
      return syncStatus(state, snap, content.get());
    }
    if (snap.status().boundVolumeSnapshotContentName().isPresent()) {
      // OBSERVATION: the bound content vanished.
      return error(snap, Snapshots.SNAPSHOT_CONTENT_MISSING, "VolumeSnapshotContent is missing");
    }
    // The class check passed: the class is named and exists (a group member never gets here: its
    // content is named in its status).
    Optional<VolumeSnapshotClass> cls = snap.spec().volumeSnapshotClassName()
        .flatMap(n -> state.get(Snapshots.classKey(n), VolumeSnapshotClass.class));
    if (cls.isEmpty()) {
      return Decision.none();
    }
    if (!snap.metadata().hasFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)) {
      // Once its class exists, the snapshot gets its own finalizer before it protects its claim, so
      // that its deletion is synced before it goes and lets the claim go (docs/cases/snapshots.md, snap-7).
      return Decision.update(snap.withMetadata(snap.metadata().withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)));
    }
    String claimName = snap.spec().source().persistentVolumeClaimName().orElseThrow();
    String inputPrefix = "Failed to create snapshot content with error failed to get input parameters to create snapshot "
        + snap.metadata().name() + ": ";
    Optional<PersistentVolumeClaim> claim =
        state.get(Volumes.claimKey(key.namespace(), claimName), PersistentVolumeClaim.class);
    if (claim.isEmpty()) {
      // ensurePVCFinalizer finds no claim (docs/cases/snapshots.md, snap-class).
      return error(snap, Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, "Failed to create snapshot content with error "
          + "snapshot controller failed to update " + snap.metadata().name() + " on API server: cannot get claim from snapshot");
    }
    // Once its named class exists, the snapshot protects its source claim before it looks at the
    // claim's volume: a claim being deleted cannot get the finalizer, one that has it is cut even so
    // (docs/cases/snapshots.md, snap-7).
    Decision protect = Decision.none();
    if (!claim.get().metadata().hasFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION)) {
      if (claim.get().metadata().isDeleting()) {
        return error(snap, Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, "Failed to create snapshot content with error "
            + "snapshot controller failed to update " + claimName
            + " on API server: cannot add finalizer on claim because it is being deleted");
      }
      protect = Decision.update(claim.get().withMetadata(claim.get().metadata().withFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION)));
    }
    if (!claim.get().phase().equals(PersistentVolumeClaimStatus.BOUND) || claim.get().volumeName().isEmpty()) {
      // OBSERVATION: the claim is not bound yet; the snapshot waits (the claim's change re-syncs it).
      return protect.and(error(snap, Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, inputPrefix + "\"the PVC " + claimName
          + " is not yet bound to a PV, will not attempt to take a snapshot\""));
    }
    String pvName = claim.get().volumeName().get();
    Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(pvName), PersistentVolume.class);
    if (pv.isEmpty()) {
      return protect.and(error(snap, Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, inputPrefix
          + "\"failed to retrieve PV " + pvName + " from the API server: \\\"persistentvolumes \\\\\\\"" + pvName
          + "\\\\\\\" not found\\\"\""));
    }
    if (!pv.get().isBoundTo(claim.get())) {
      return protect.and(error(snap, Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, inputPrefix
          + "\"claim in dataSource not bound or invalid\""));
    }
    try {
      SnapshotterSecrets.resolve(cls.get().parameters(), contentName, key.namespace(), snap.metadata().name());
    } catch (SnapshotterSecrets.InvalidSecretParameters e) {
      // OBSERVATION: the class names its secret wrongly: the content cannot record it.
      return protect.and(error(snap, Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, inputPrefix + "\"" + e.getMessage() + "\""));
    }
    if (pv.get().csi().isEmpty()) {
      // After the input parameters, as createSnapshotContent checks it (docs/cases/snapshots.md, snap-class).
      return protect.and(error(snap, Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED,
          "Failed to create snapshot content with error cannot find CSI PersistentVolumeSource for volume " + pvName));
    }
    // OBSERVATION: everything is there: the source claim protected (above), create the content, bind to it.
    Decision.Builder d = protect.toBuilder();
    VolumeSnapshotContent c = newContent(state, snap, contentName, cls.get(), pv.get());
    d.create(c);
    VolumeSnapshot bound = withFinalizers(snap, c.spec().deletionPolicy())
        .withStatus(snap.status().withBoundVolumeSnapshotContentName(Optional.of(contentName))
            .withReadyToUse(Optional.of(false)));
    d.update(bound);
    d.event(EventRecord.normal(NAME, key, Snapshots.CREATING_SNAPSHOT,
        "Waiting for a snapshot " + key.namespacedName() + " to be created by the CSI driver."));
    return d.build();
  }

  private static VolumeSnapshotContent newContent(
      ClusterState state, VolumeSnapshot snap, String name, VolumeSnapshotClass cls, PersistentVolume pv) {
    ObjectReference ref = ObjectReferenceBuilder.builder()
        .kind(Optional.of(VolumeSnapshot.KIND))
        .apiVersion(Optional.of(VolumeSnapshot.API_VERSION))
        .namespace(snap.metadata().namespace())
        .name(Optional.of(snap.metadata().name()))
        .uid(snap.metadata().uid())
        .resourceVersion(snap.metadata().resourceVersion())
        .build();
    ImmutableMap.Builder<String, String> ann = ImmutableMap.builder();
    SnapshotterSecrets.resolve(cls.parameters(), name, snap.metadata().namespaceOrEmpty(), snap.metadata().name())
        .ifPresent(r -> {
          ann.put(Snapshots.DELETION_SECRET_NAME, r.name());
          ann.put(Snapshots.DELETION_SECRET_NAMESPACE, r.namespace());
        });
    ObjectMeta meta = ObjectMetaBuilder.builder()
        .name(name)
        .annotations(ann.build())
        .finalizers(com.google.common.collect.ImmutableList.of(Snapshots.CONTENT_BOUND_PROTECTION))
        .build();
    return VolumeSnapshotContentBuilder.builder()
        .metadata(meta)
        .spec(VolumeSnapshotContentSpecBuilder.builder()
            .volumeSnapshotRef(ref)
            .deletionPolicy(cls.deletionPolicy())
            .driver(cls.driver())
            .volumeSnapshotClassName(Optional.of(cls.metadata().name()))
            .source(VolumeSnapshotContentSourceBuilder.builder()
                .volumeHandle(Optional.of(pv.csi().orElseThrow().volumeHandle())).build())
            .sourceVolumeMode(Optional.of(pv.spec().effectiveVolumeMode()))
            .build())
        .build();
  }

  // --- pre-provisioned -------------------------------------------------------------------------

  private Decision preProvisioned(ClusterState state, VolumeSnapshot snap) {
    String contentName = snap.spec().source().volumeSnapshotContentName().orElse("");
    Optional<VolumeSnapshotContent> content = state.get(Snapshots.contentKey(contentName), VolumeSnapshotContent.class);
    if (content.isEmpty()) {
      return error(snap, Snapshots.SNAPSHOT_CONTENT_MISSING, "VolumeSnapshotContent is missing");
    }
    VolumeSnapshotContent c = content.get();
    var ref = c.spec().volumeSnapshotRef();
    boolean names = ref.nameOrEmpty().equals(snap.metadata().name())
        && ref.namespaceOrEmpty().equals(snap.metadata().namespaceOrEmpty());
    String uid = snap.metadata().uid().orElse("");
    if (!names || (!ref.uidOrEmpty().isEmpty() && !ref.uidOrEmpty().equals(uid))) {
      return error(snap, Snapshots.SNAPSHOT_CONTENT_MISBOUND,
          "VolumeSnapshotContent " + contentName + " is bound to a different snapshot");
    }
    if (ref.uidOrEmpty().isEmpty() || !c.metadata().hasFinalizer(Snapshots.CONTENT_BOUND_PROTECTION)) {
      // A pre-provisioned content whose volumeSnapshotRef names this snapshot: bound to it (the
      // snapshot's uid filled in) and protected by the content finalizer (class Javadoc, "Pre-provisioned").
      VolumeSnapshotContent bound = c.withSpec(c.spec().withVolumeSnapshotRef(ref.withUid(Optional.of(uid))
              .withKind(Optional.of(VolumeSnapshot.KIND)).withApiVersion(Optional.of(VolumeSnapshot.API_VERSION))))
          .withMetadata(c.metadata().hasFinalizer(Snapshots.CONTENT_BOUND_PROTECTION)
              ? c.metadata() : c.metadata().withFinalizer(Snapshots.CONTENT_BOUND_PROTECTION));
      return Decision.update(bound);
    }
    return syncStatus(state, snap, c);
  }

  // --- status ----------------------------------------------------------------------------------

  private Decision syncStatus(ClusterState state, VolumeSnapshot snap, VolumeSnapshotContent content) {
    ObjectKey key = ObjectKey.of(snap);
    var cs = content.status();
    VolumeSnapshotStatus old = snap.status();
    VolumeSnapshotStatus status = VolumeSnapshotStatusBuilder.builder(old)
        .boundVolumeSnapshotContentName(Optional.of(content.metadata().name()))
        .creationTime(cs.creationTime().map(Snapshots::fromNanos).or(old::creationTime))
        .readyToUse(Optional.of(cs.readyToUse().orElse(false)))
        .restoreSize(cs.restoreSize().map(Quantity::ofBytes).or(old::restoreSize))
        .error(cs.error().or(() -> cs.readyToUse().orElse(false) ? Optional.empty() : old.error()))
        .build();
    VolumeSnapshot updated = withFinalizers(snap, content.spec().deletionPolicy()).withStatus(status);
    Decision.Builder d = Decision.builder();
    if (!updated.equals(snap)) {
      d.update(updated);
    }
    if (old.creationTime().isEmpty() && status.creationTime().isPresent()) {
      d.event(EventRecord.normal(NAME, key, Snapshots.SNAPSHOT_CREATED,
          "Snapshot " + key.namespacedName() + " was successfully created by the CSI driver."));
    }
    if (!old.readyToUse().orElse(false) && status.readyToUse().orElse(false)) {
      d.event(EventRecord.normal(NAME, key, Snapshots.SNAPSHOT_READY, "Snapshot " + key.namespacedName() + " is ready to use."));
    }
    // The source claim is released by the next sync, which sees the snapshot ready (reconcile).
    return d.build();
  }

  private static VolumeSnapshot withFinalizers(VolumeSnapshot snap, String policy) {
    ObjectMeta m = snap.metadata();
    if (!m.hasFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)) {
      m = m.withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION);
    }
    if (Snapshots.DELETE.equals(policy) && !m.hasFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION)) {
      m = m.withFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION);
    }
    return m.equals(snap.metadata()) ? snap : snap.withMetadata(m);
  }

  /** Records the error in the snapshot's status (readyToUse false) and as a Warning event. */
  private static Decision error(VolumeSnapshot snap, String reason, String message) {
    ObjectKey key = ObjectKey.of(snap);
    Decision.Builder d = Decision.builder();
    boolean same = Snapshots.hasErrorMessage(snap.status().error(), message)
        && snap.status().readyToUse().isPresent();
    if (!same) {
      d.update(snap.withStatus(snap.status().withError(Optional.of(Snapshots.error(message)))
          .withReadyToUse(Optional.of(false))));
    }
    d.event(EventRecord.warning(NAME, key, reason, message));
    return d.build();
  }

  // --- deletion --------------------------------------------------------------------------------

  /**
   * A snapshot being deleted; {@code claimReleased}: this sync already takes {@code
   * pvc-as-source-protection} off the source claim.
   */
  private Decision deleting(ClusterState state, VolumeSnapshot snap, boolean claimReleased) {
    ObjectKey key = ObjectKey.of(snap);
    ObjectMeta m = snap.metadata();
    if (!m.hasFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION) && !m.hasFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION)
        && !m.hasFinalizer(Snapshots.IN_GROUP_PROTECTION)) {
      return Decision.none();
    }
    // A member of a group snapshot goes with its group, not alone.
    Optional<String> group = snap.status().volumeGroupSnapshotName();
    if (group.isPresent() && state.contains(ObjectKey.namespaced(Snapshots.GROUP_SNAPSHOT_KIND, key.namespace(), group.get()))) {
      return Decision.event(EventRecord.warning(NAME, key, Snapshots.SNAPSHOT_DELETE_PENDING,
          "deletion of the individual volume snapshot " + key.namespacedName() + " is not allowed as it belongs to group"
              + " snapshot " + key.namespace() + "/" + group.get() + ". Deleting the group snapshot will trigger the"
              + " deletion of all the individual volume snapshots that are part of the group."));
    }
    // A Pending claim still restores from this snapshot: it waits (docs/cases/snapshots.md, restore-6).
    for (ObjectKey k : state.index(DataSourceIndex.class).dependents(key)) {
      Optional<PersistentVolumeClaim> c = state.get(k, PersistentVolumeClaim.class);
      if (c.isPresent() && c.get().phase().equals(PersistentVolumeClaimStatus.PENDING) && !c.get().metadata().isDeleting()) {
        return Decision.event(EventRecord.warning(NAME, key, Snapshots.SNAPSHOT_DELETE_PENDING,
            "Snapshot is being used to restore a PVC"));
      }
    }
    Decision.Builder d = Decision.builder();
    Optional<VolumeSnapshotContent> content = snap.status().boundVolumeSnapshotContentName()
        .or(() -> snap.spec().source().volumeSnapshotContentName())
        .flatMap(n -> state.get(Snapshots.contentKey(n), VolumeSnapshotContent.class))
        .filter(c -> Snapshots.refersTo(c, snap));
    boolean keepBound = false;
    if (content.isPresent()) {
      VolumeSnapshotContent c = content.get();
      boolean delete = Snapshots.DELETE.equals(c.spec().deletionPolicy());
      if (!c.metadata().isDeleting()) {
        if (!c.metadata().annotations().containsKey(Snapshots.BEING_DELETED)) {
          d.update(c.withMetadata(c.metadata().withAnnotation(Snapshots.BEING_DELETED, "yes")));
        }
        if (delete) {
          d.delete(ObjectKey.of(c), c.metadata().uid().orElse(""));
        }
      }
      keepBound = delete;
    }
    // Before its finalizers go, the snapshot lets go of its source claim unless another snapshot of
    // the claim is still being cut: once it is gone, no sync of it would (docs/cases/snapshots.md,
    // snap-7). Done on every such sync, also while the bound finalizer waits for the content.
    if (!claimReleased && (m.hasFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)
        || m.hasFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION))) {
      SourceClaimProtection.released(state, snap, true).ifPresent(d::update);
    }
    ObjectMeta next = m.withoutFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)
        .withoutFinalizer(Snapshots.IN_GROUP_PROTECTION);
    if (!keepBound) {
      next = next.withoutFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION);
    }
    if (!next.equals(m)) {
      d.update(snap.withMetadata(next));
    }
    return d.build();
  }

  /** A content whose snapshot is gone: delete it (policy Delete) or release its finalizer (Retain). */
  private Decision orphanContent(ClusterState state, VolumeSnapshotContent c) {
    var ref = c.spec().volumeSnapshotRef();
    if (ref.uidOrEmpty().isEmpty() || c.metadata().isDeleting()) {
      return Decision.none(); // not bound yet (pre-provisioned), or already being deleted
    }
    Optional<VolumeSnapshot> snap = state.get(Snapshots.snapshotKey(c), VolumeSnapshot.class)
        .filter(s -> s.metadata().uid().orElse("").equals(ref.uidOrEmpty()));
    if (snap.isPresent()) {
      return Decision.none();
    }
    if (Snapshots.DELETE.equals(c.spec().deletionPolicy())) {
      return Decision.builder().delete(ObjectKey.of(c), c.metadata().uid().orElse("")).build();
    }
    if (c.metadata().hasFinalizer(Snapshots.CONTENT_BOUND_PROTECTION)) {
      return Decision.update(c.withMetadata(c.metadata().withoutFinalizer(Snapshots.CONTENT_BOUND_PROTECTION)));
    }
    return Decision.none();
  }

  @Override
  public String toString() {
    return "SnapshotController";
  }
}

package io.volumekit.core.snapshot;

import static io.volumekit.core.Fixtures.csiPv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withVolumeName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.Write;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.TypedLocalObjectReference;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotClassBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotContentBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentStatusBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code pvc-as-source-protection} on a snapshot's source claim, as the external snapshot-controller
 * keeps it (docs/cases/snapshots.md, row snap-7): the claim keeps the finalizer while any
 * VolumeSnapshot of it is not ready, also one being deleted ({@code isPVCBeingUsed}); every sync of a
 * snapshot, also one being deleted, first takes the finalizer off when none is
 * ({@code checkandRemovePVCFinalizer(snapshot, false)}), from the state as it was before the sync; a
 * snapshot being let go does so without counting itself ({@code checkandRemovePVCFinalizer(snapshot,
 * true)}) before its own finalizers go. Without the last, a claim deleted after its snapshot was
 * deleted before it was cut stayed Terminating for ever (docs/simulation.md, bug 7).
 */
class SnapshotSourceReleaseDecisionTest {

  private static final Instant DELETED = Instant.parse("2026-01-01T00:00:00Z");
  private final SnapshotController controller = new SnapshotController();

  private static PersistentVolumeClaim source() {
    PersistentVolumeClaim c = withClass(pvc("c3", "1Gi"), "fast");
    return c.withMetadata(c.metadata().withFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION));
  }

  private static PersistentVolumeClaim released(PersistentVolumeClaim claim) {
    return claim.withMetadata(claim.metadata().withoutFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION));
  }

  private static VolumeSnapshot snapshot(String name, String uid, boolean deleting, boolean ready) {
    ObjectMeta m = ObjectMeta.named("default", name).withUid(Optional.of(uid))
        .withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION).withFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION);
    if (deleting) {
      m = m.withDeletionTimestamp(Optional.of(DELETED));
    }
    return VolumeSnapshotBuilder.builder().metadata(m)
        .spec(VolumeSnapshotSpecBuilder.builder().volumeSnapshotClassName(Optional.of("gold"))
            .source(VolumeSnapshotSourceBuilder.builder().persistentVolumeClaimName(Optional.of("c3")).build()).build())
        .status(VolumeSnapshotStatusBuilder.builder().boundVolumeSnapshotContentName(Optional.of("snapcontent-" + uid))
            .readyToUse(Optional.of(ready)).build())
        .build();
  }

  private static VolumeSnapshotContent content(String name, String uid, String policy, boolean ready) {
    return VolumeSnapshotContentBuilder.builder()
        .metadata(ObjectMeta.named("snapcontent-" + uid).withFinalizer(Snapshots.CONTENT_BOUND_PROTECTION))
        .spec(VolumeSnapshotContentSpecBuilder.builder()
            .volumeSnapshotRef(ObjectReferenceBuilder.builder().namespace(Optional.of("default"))
                .name(Optional.of(name)).uid(Optional.of(uid)).build())
            .deletionPolicy(policy).driver("memory.csi.volumekit.io")
            .source(VolumeSnapshotContentSourceBuilder.builder().volumeHandle(Optional.of("vol-1")).build())
            .build())
        .status(VolumeSnapshotContentStatusBuilder.builder().readyToUse(Optional.of(ready)).build())
        .build();
  }

  private static VolumeSnapshotContent retained(String name, String uid) {
    return content(name, uid, "Retain", false);
  }

  /** A Pending claim restoring from the snapshot: the snapshot's deletion waits for it (restore-6). */
  private static PersistentVolumeClaim restoringFrom(String snapshot) {
    PersistentVolumeClaim c = withClass(pvc("r1", "1Gi"), "fast");
    return c.withSpec(c.spec().withDataSource(Optional.of(
        new TypedLocalObjectReference(Optional.of(Snapshots.GROUP), VolumeSnapshot.KIND, snapshot))));
  }

  private static ClusterState state(ApiObject... objects) {
    ClusterState s = ClusterState.empty();
    for (ApiObject o : objects) {
      s = s.put(o);
    }
    return s;
  }

  /** The state with the class "gold" the snapshots name, so that they pass the class check. */
  private static ClusterState synced(ApiObject... objects) {
    return state(objects).put(snapClass("gold"));
  }

  @Test
  void aSnapshotDeletedBeforeItWasCutReleasesItsSourceClaimBeforeItsOwnFinalizersGo() {
    VolumeSnapshot snap = snapshot("snap2", "u1", true, false);
    VolumeSnapshotContent content = retained("snap2", "u1");
    PersistentVolumeClaim claim = source();
    assertEquals(Decision.builder()
            .update(content.withMetadata(content.metadata().withAnnotation(Snapshots.BEING_DELETED, "yes")))
            .update(released(claim))
            .update(snap.withMetadata(snap.metadata().withoutFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)
                .withoutFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION)))
            .build(),
        controller.reconcile(synced(claim, snap, content), ObjectKey.of(snap)));
  }

  @Test
  void theSourceClaimStaysProtectedWhileAnotherSnapshotOfItIsCut() {
    VolumeSnapshot snap = snapshot("snap2", "u1", true, false);
    VolumeSnapshotContent content = retained("snap2", "u1");
    VolumeSnapshot other = snapshot("snap0", "u0", false, false);
    assertThat(controller.reconcile(synced(source(), snap, content, other, retained("snap0", "u0")), ObjectKey.of(snap))
        .writes()).noneMatch(w -> w instanceof Write.Update u && u.object() instanceof PersistentVolumeClaim);
  }

  @Test
  void aSnapshotBeingDeletedBeforeItIsReadyStillHoldsTheClaim() {
    // snap2 is deleted while not ready and waits for a claim restoring from it; snap0 is ready.
    VolumeSnapshot deleting = snapshot("snap2", "u1", true, false);
    VolumeSnapshot ready = snapshot("snap0", "u0", false, true);
    ClusterState s = synced(source(), deleting, retained("snap2", "u1"), restoringFrom("snap2"),
        ready, content("snap0", "u0", "Retain", true));
    assertEquals(Decision.none(), controller.reconcile(s, ObjectKey.of(ready)));
  }

  @Test
  void aSnapshotWaitingForItsDeleteContentLetsTheClaimGoOnEachSync() {
    // snap2's first deletion sync kept the claim for another snapshot, since ready or gone; snap2
    // keeps its bound finalizer until its content (policy Delete) is gone.
    VolumeSnapshot snap = snapshot("snap2", "u1", true, false);
    snap = snap.withMetadata(snap.metadata().withoutFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION));
    VolumeSnapshotContent c = content("snap2", "u1", "Delete", false);
    c = c.withMetadata(c.metadata().withAnnotation(Snapshots.BEING_DELETED, "yes").withDeletionTimestamp(Optional.of(DELETED)));
    PersistentVolumeClaim claim = source();
    assertEquals(Decision.update(released(claim)), controller.reconcile(synced(claim, snap, c), ObjectKey.of(snap)));
  }

  @Test
  void aReadySnapshotWaitingToBeDeletedStillLetsTheClaimGo() {
    VolumeSnapshot snap = snapshot("snap2", "u1", true, true);
    PersistentVolumeClaim claim = source();
    Decision d = controller.reconcile(synced(claim, snap, content("snap2", "u1", "Retain", true), restoringFrom("snap2")),
        ObjectKey.of(snap));
    assertEquals(Decision.builder().update(released(claim))
        .event(EventRecord.warning(SnapshotController.NAME, ObjectKey.of(snap), Snapshots.SNAPSHOT_DELETE_PENDING,
            "Snapshot is being used to restore a PVC"))
        .build(), d);
  }

  @Test
  void theClaimGoesOnTheSyncAfterTheOneThatSeesTheSnapshotReady() {
    VolumeSnapshot snap = snapshot("snap0", "u0", false, false);
    PersistentVolumeClaim claim = source();
    ClusterState s = synced(claim, snap, content("snap0", "u0", "Retain", true));
    Decision first = controller.reconcile(s, ObjectKey.of(snap));
    assertThat(first.writes()).hasSize(1);
    VolumeSnapshot nowReady = (VolumeSnapshot) ((Write.Update) first.writes().get(0)).object();
    assertThat(nowReady.status().readyToUse()).contains(true);
    assertEquals(Decision.update(released(claim)), controller.reconcile(s.put(nowReady), ObjectKey.of(snap)));
  }

  @Test
  void aSnapshotGoneQueuesTheOtherSnapshotsOfItsClaim() {
    VolumeSnapshot gone = snapshot("snap2", "u1", true, false);
    VolumeSnapshot other = snapshot("snap0", "u0", false, true);
    ClusterState s = synced(source(), other);
    List<ObjectKey> queued = new ArrayList<>();
    controller.watch(s, new Change(ObjectKey.of(gone), Optional.of(gone), Optional.empty()), queued::add);
    assertThat(queued).contains(ObjectKey.of(other));
  }

  // --- ensurePVCFinalizer: where the finalizer is added -----------------------------------------

  private static VolumeSnapshot newSnapshot(String cls) {
    return VolumeSnapshotBuilder.builder().metadata(ObjectMeta.named("default", "snap9").withUid(Optional.of("u9"))
            .withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION))
        .spec(VolumeSnapshotSpecBuilder.builder().volumeSnapshotClassName(Optional.of(cls))
            .source(VolumeSnapshotSourceBuilder.builder().persistentVolumeClaimName(Optional.of("c3")).build()).build())
        .build();
  }

  private static VolumeSnapshotClass snapClass(String name) {
    return VolumeSnapshotClassBuilder.builder().metadata(ObjectMeta.named(name))
        .driver("memory.csi.volumekit.io").deletionPolicy("Delete").build();
  }

  /** The claim c3 Bound to the CSI volume pv3. */
  private static PersistentVolumeClaim bound(PersistentVolumeClaim c) {
    return withVolumeName(c, "pv3").withStatus(c.status().withPhase(Optional.of(PersistentVolumeClaimStatus.BOUND)));
  }

  /** pv3, the CSI volume of c3, bound back to it. */
  private static io.volumekit.model.core.PersistentVolume boundVolume() {
    io.volumekit.model.core.PersistentVolume p = csiPv("pv3", "1Gi", "vol-3");
    return p.withSpec(p.spec().withClaimRef(Optional.of(ObjectReferenceBuilder.builder()
        .namespace(Optional.of("default")).name(Optional.of("c3")).build())));
  }

  private static PersistentVolumeClaim protectedClaim(PersistentVolumeClaim c) {
    return c.withMetadata(c.metadata().withFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION));
  }

  private static Optional<PersistentVolumeClaim> claimWritten(Decision d) {
    return d.writes().stream().filter(w -> w instanceof Write.Update u && u.object() instanceof PersistentVolumeClaim)
        .map(w -> (PersistentVolumeClaim) ((Write.Update) w).object()).findFirst();
  }

  @Test
  void aSnapshotProtectsItsSourceClaimOnceItsClassExistsEvenBeforeTheClaimIsBound() {
    PersistentVolumeClaim pending = withClass(pvc("c3", "1Gi"), "fast");
    Decision d = controller.reconcile(state(pending, snapClass("gold"), newSnapshot("gold")), ObjectKey.of(newSnapshot("gold")));
    assertThat(claimWritten(d)).contains(protectedClaim(pending));
    assertThat(d.events()).extracting(EventRecord::message).containsExactly("Failed to create snapshot content with error"
        + " failed to get input parameters to create snapshot snap9: \"the PVC c3 is not yet bound to a PV, will not"
        + " attempt to take a snapshot\"");
    // without the class, nothing is protected yet
    assertThat(claimWritten(controller.reconcile(state(pending, newSnapshot("gold")), ObjectKey.of(newSnapshot("gold")))))
        .isEmpty();
  }

  @Test
  void aClaimBeingDeletedCannotGetTheFinalizer() {
    PersistentVolumeClaim c = bound(withClass(pvc("c3", "1Gi"), "fast"));
    c = c.withMetadata(c.metadata().withDeletionTimestamp(Optional.of(DELETED)));
    Decision d = controller.reconcile(state(c, csiPv("pv3", "1Gi", "vol-3"), snapClass("gold"), newSnapshot("gold")),
        ObjectKey.of(newSnapshot("gold")));
    assertThat(claimWritten(d)).isEmpty();
    assertThat(d.events()).extracting(EventRecord::message).containsExactly("Failed to create snapshot content with error"
        + " snapshot controller failed to update c3 on API server: cannot add finalizer on claim because it is being deleted");
  }

  @Test
  void aClaimBeingDeletedThatStillHasTheFinalizerIsSnapshotted() {
    PersistentVolumeClaim c = protectedClaim(bound(withClass(pvc("c3", "1Gi"), "fast")));
    c = c.withMetadata(c.metadata().withDeletionTimestamp(Optional.of(DELETED)));
    Decision d = controller.reconcile(state(c, boundVolume(), snapClass("gold"), newSnapshot("gold"),
        snapshot("snap0", "u0", false, false)), ObjectKey.of(newSnapshot("gold")));
    assertThat(d.writes()).anyMatch(w -> w instanceof Write.Create cr && cr.object() instanceof VolumeSnapshotContent);
    assertThat(claimWritten(d)).isEmpty();
  }

  @Test
  void aSnapshotGetsItsOwnFinalizerBeforeItProtectsItsClaim() {
    // Else a snapshot deleted before its first sync after that would go without a sync of its
    // deletion, and leave its claim protected for ever.
    VolumeSnapshot bare = newSnapshot("gold");
    bare = bare.withMetadata(bare.metadata().withoutFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION));
    PersistentVolumeClaim pending = withClass(pvc("c3", "1Gi"), "fast");
    assertEquals(Decision.update(newSnapshot("gold")),
        controller.reconcile(state(pending, snapClass("gold"), bare), ObjectKey.of(bare)));
  }

  // --- the last snapshot gone without a sync (kubernetes-differences row 187) -------------------

  @Test
  void aClaimWhoseLastSnapshotWentWithoutASyncIsLetGo() {
    // snap0 waited without a class (so without finalizers) and held the claim for snap2, deleted
    // before; deleting snap0 removed it at once.
    VolumeSnapshot bare = snapshot("snap0", "u0", false, false);
    bare = bare.withMetadata(ObjectMeta.named("default", "snap0").withUid(Optional.of("u0")));
    PersistentVolumeClaim claim = source();
    List<ObjectKey> queued = new ArrayList<>();
    controller.watch(state(claim), new Change(ObjectKey.of(bare), Optional.of(bare), Optional.empty()), queued::add);
    assertThat(queued).contains(ObjectKey.of(claim));
    assertEquals(Decision.update(released(claim)), controller.reconcile(state(claim), ObjectKey.of(claim)));
    // while a snapshot of the claim exists, its syncs decide
    assertEquals(Decision.none(), controller.reconcile(state(claim, snapshot("snap1", "u1", false, true)), ObjectKey.of(claim)));
  }
}


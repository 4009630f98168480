package io.volumekit.core.snapshot;

import static io.volumekit.core.Fixtures.csiPv;
import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withVolumeName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
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
import io.volumekit.model.snapshot.VolumeSnapshotErrorBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The class check before every sync of a VolumeSnapshot, as the snapshot controller makes it
 * ({@code syncSnapshotByKey}: {@code checkAndUpdateSnapshotClass}, then {@code syncSnapshot};
 * docs/cases/snapshots.md, rows snap-2, snap-3 and snap-class): the reasons, the messages, and that
 * nothing of the sync (claim protection and its release, finalizers, content) happens before the
 * class is settled, except for a snapshot being deleted whose named class is gone.
 */
class SnapshotClassGateDecisionTest {

  private static final Instant DELETED = Instant.parse("2026-01-01T00:00:00Z");
  private static final String DRIVER = "memory.csi.volumekit.io";
  private final SnapshotController controller = new SnapshotController();

  /** A new dynamic snapshot of c3, naming the class when given. */
  private static VolumeSnapshot snapshot(Optional<String> cls) {
    return VolumeSnapshotBuilder.builder().metadata(ObjectMeta.named("default", "snap9").withUid(Optional.of("u9")))
        .spec(VolumeSnapshotSpecBuilder.builder().volumeSnapshotClassName(cls)
            .source(VolumeSnapshotSourceBuilder.builder().persistentVolumeClaimName(Optional.of("c3")).build()).build())
        .build();
  }

  private static VolumeSnapshotClass snapClass(String name, boolean isDefault) {
    ObjectMeta m = ObjectMeta.named(name);
    if (isDefault) {
      m = m.withAnnotation(Snapshots.IS_DEFAULT_CLASS, "true");
    }
    return VolumeSnapshotClassBuilder.builder().metadata(m).driver(DRIVER).deletionPolicy("Delete").build();
  }

  /** The claim c3, Bound to pv3 when asked. */
  private static PersistentVolumeClaim claim(boolean bound) {
    PersistentVolumeClaim c = withClass(pvc("c3", "1Gi"), "fast");
    return bound ? withVolumeName(c, "pv3").withStatus(c.status().withPhase(Optional.of(PersistentVolumeClaimStatus.BOUND))) : c;
  }

  /** pv3, a CSI volume whose claimRef names the claim given. */
  private static PersistentVolume volume(String claimName) {
    PersistentVolume p = csiPv("pv3", "1Gi", "vol-3");
    return p.withSpec(p.spec().withClaimRef(Optional.of(ObjectReferenceBuilder.builder()
        .namespace(Optional.of("default")).name(Optional.of(claimName)).build())));
  }

  private static ClusterState state(ApiObject... objects) {
    ClusterState s = ClusterState.empty();
    for (ApiObject o : objects) {
      s = s.put(o);
    }
    return s;
  }

  private static VolumeSnapshot withError(VolumeSnapshot snap, String message) {
    return snap.withStatus(snap.status().withError(Optional.of(
        VolumeSnapshotErrorBuilder.builder().message(Optional.of(message)).build())));
  }

  /** What a class check that stops the sync records: the error (readyToUse untouched) and its event. */
  private static Decision stopped(VolumeSnapshot snap, String reason, String message) {
    return Decision.builder().update(withError(snap, message))
        .event(EventRecord.warning(SnapshotController.NAME, ObjectKey.of(snap), reason, message)).build();
  }

  private Decision sync(VolumeSnapshot snap, ApiObject... others) {
    return controller.reconcile(state(others).put(snap), ObjectKey.of(snap));
  }

  // --- no class named: the default class of the claim's driver ----------------------------------

  @Test
  void noClassAndAClaimNotBoundStopsWithSetDefaultSnapshotClassFailed() {
    VolumeSnapshot snap = snapshot(Optional.empty());
    assertEquals(stopped(snap, Snapshots.SET_DEFAULT_SNAPSHOT_CLASS_FAILED, "Failed to set default snapshot class with error"
            + " the PVC c3 is not yet bound to a PV, will not attempt to take a snapshot"),
        sync(snap, claim(false), snapClass("gold", true)));
  }

  @Test
  void noClassAndNoClaimStopsWithTheListersNotFound() {
    VolumeSnapshot snap = snapshot(Optional.empty());
    assertEquals(stopped(snap, Snapshots.SET_DEFAULT_SNAPSHOT_CLASS_FAILED, "Failed to set default snapshot class with error"
            + " failed to retrieve PVC c3 from the lister: \"persistentvolumeclaim \\\"c3\\\" not found\""),
        sync(snap, snapClass("gold", true)));
  }

  @Test
  void noClassAndAVolumeNotBoundBackToTheClaimStops() {
    VolumeSnapshot snap = snapshot(Optional.empty());
    assertEquals(stopped(snap, Snapshots.SET_DEFAULT_SNAPSHOT_CLASS_FAILED,
            "Failed to set default snapshot class with error claim in dataSource not bound or invalid"),
        sync(snap, claim(true), volume("other"), snapClass("gold", true)));
  }

  @Test
  void noClassAndAMissingVolumeStopsWithTheApiServersNotFound() {
    VolumeSnapshot snap = snapshot(Optional.empty());
    assertEquals(stopped(snap, Snapshots.SET_DEFAULT_SNAPSHOT_CLASS_FAILED, "Failed to set default snapshot class with error"
            + " failed to retrieve PV pv3 from the API server: \"persistentvolumes \\\"pv3\\\" not found\""),
        sync(snap, claim(true), snapClass("gold", true)));
  }

  @Test
  void noClassAndANonCsiVolumeStops() {
    VolumeSnapshot snap = snapshot(Optional.empty());
    PersistentVolume hostPath = pv("pv3", "1Gi");
    hostPath = hostPath.withSpec(hostPath.spec().withClaimRef(volume("c3").spec().claimRef()));
    assertEquals(stopped(snap, Snapshots.SET_DEFAULT_SNAPSHOT_CLASS_FAILED,
            "Failed to set default snapshot class with error snapshotting non-CSI volumes is not supported, snapshot:default/snap9"),
        sync(snap, claim(true), hostPath, snapClass("gold", true)));
  }

  @Test
  void theDefaultClassIsWrittenAndTheSyncGoesOnWithIt() {
    // One write: the class the check sets and the snapshot's finalizer from the sync that follows.
    VolumeSnapshot snap = snapshot(Optional.empty());
    VolumeSnapshot expected = snap.withSpec(snap.spec().withVolumeSnapshotClassName(Optional.of("gold")))
        .withMetadata(snap.metadata().withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION));
    assertEquals(Decision.update(expected), sync(snap, claim(true), volume("c3"), snapClass("gold", true), snapClass("silver", false)));
  }

  @Test
  void aSnapshotBeingDeletedWhoseDefaultClassCannotBeSetIsNotSynced() {
    VolumeSnapshot snap = snapshot(Optional.empty());
    snap = snap.withMetadata(snap.metadata().withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)
        .withDeletionTimestamp(Optional.of(DELETED)));
    assertEquals(stopped(snap, Snapshots.SET_DEFAULT_SNAPSHOT_CLASS_FAILED, "Failed to set default snapshot class with error"
            + " the PVC c3 is not yet bound to a PV, will not attempt to take a snapshot"),
        sync(snap, claim(false)));
  }

  // --- a class named --------------------------------------------------------------------------

  @Test
  void aMissingNamedClassStopsWithGetSnapshotClassFailedAndLeavesTheClaimAlone() {
    // The claim's finalizer would go on a sync (no snapshot of it is not ready), but there is none.
    VolumeSnapshot snap = snapshot(Optional.of("gold"));
    snap = snap.withStatus(snap.status().withReadyToUse(Optional.of(true)));
    PersistentVolumeClaim protectedClaim = claim(true);
    protectedClaim = protectedClaim.withMetadata(protectedClaim.metadata().withFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION));
    assertEquals(stopped(snap, Snapshots.GET_SNAPSHOT_CLASS_FAILED,
            "Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \"gold\" not found"),
        sync(snap, protectedClaim, volume("c3")));
  }

  @Test
  void theSameClassErrorIsRecordedOnce() {
    VolumeSnapshot snap = withError(snapshot(Optional.of("gold")),
        "Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \"gold\" not found");
    assertEquals(Decision.none(), sync(snap, claim(true), volume("c3")));
  }

  @Test
  void aSnapshotBeingDeletedWhoseNamedClassIsGoneIsSyncedAllTheSame() {
    VolumeSnapshot snap = snapshot(Optional.of("gold"));
    snap = snap.withMetadata(snap.metadata().withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)
        .withDeletionTimestamp(Optional.of(DELETED)));
    PersistentVolumeClaim protectedClaim = claim(true);
    protectedClaim = protectedClaim.withMetadata(protectedClaim.metadata().withFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION));
    String message = "Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \"gold\" not found";
    VolumeSnapshot let = withError(snap, message);
    let = let.withMetadata(let.metadata().withoutFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION));
    assertEquals(Decision.builder()
            .update(protectedClaim.withMetadata(protectedClaim.metadata().withoutFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION)))
            .update(let)
            .event(EventRecord.warning(SnapshotController.NAME, ObjectKey.of(snap), Snapshots.GET_SNAPSHOT_CLASS_FAILED, message))
            .build(),
        sync(snap, protectedClaim, volume("c3")));
  }

  @Test
  void aPreProvisionedSnapshotNamingAMissingClassIsNotBound() {
    VolumeSnapshot snap = VolumeSnapshotBuilder.builder().metadata(ObjectMeta.named("default", "pre").withUid(Optional.of("u8")))
        .spec(VolumeSnapshotSpecBuilder.builder().volumeSnapshotClassName(Optional.of("gold"))
            .source(VolumeSnapshotSourceBuilder.builder().volumeSnapshotContentName(Optional.of("pre-content")).build()).build())
        .build();
    VolumeSnapshotContent content = VolumeSnapshotContentBuilder.builder().metadata(ObjectMeta.named("pre-content"))
        .spec(VolumeSnapshotContentSpecBuilder.builder()
            .volumeSnapshotRef(ObjectReferenceBuilder.builder().namespace(Optional.of("default")).name(Optional.of("pre")).build())
            .deletionPolicy("Retain").driver(DRIVER)
            .source(VolumeSnapshotContentSourceBuilder.builder().snapshotHandle(Optional.of("h1")).build()).build())
        .build();
    assertEquals(stopped(snap, Snapshots.GET_SNAPSHOT_CLASS_FAILED,
            "Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \"gold\" not found"),
        sync(snap, content));
  }

  @Test
  void aNamedClassAndNoClaimFailsWhereTheClaimIsToBeProtected() {
    VolumeSnapshot snap = snapshot(Optional.of("gold"));
    snap = snap.withMetadata(snap.metadata().withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION));
    Decision d = sync(snap, snapClass("gold", false));
    assertThat(d.events()).extracting(EventRecord::reason, EventRecord::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, "Failed to create snapshot content"
            + " with error snapshot controller failed to update snap9 on API server: cannot get claim from snapshot"));
  }

  /** The reason and message of the one event a sync of snap9 (class gold) records, with these objects. */
  private List<org.assertj.core.groups.Tuple> contentFailure(ApiObject... others) {
    VolumeSnapshot snap = snapshot(Optional.of("gold"));
    snap = snap.withMetadata(snap.metadata().withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION));
    PersistentVolumeClaim protectedClaim = claim(true);
    protectedClaim = protectedClaim.withMetadata(protectedClaim.metadata().withFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION));
    List<ApiObject> all = new ArrayList<>(List.of(others));
    all.add(protectedClaim);
    all.add(snapClass("gold", false));
    return sync(snap, all.toArray(ApiObject[]::new)).events().stream()
        .map(e -> org.assertj.core.groups.Tuple.tuple(e.reason(), e.message())).toList();
  }

  @Test
  void pastTheClassCheckTheVolumeIsLookedUpAsCreateSnapshotContentDoes() {
    String input = "Failed to create snapshot content with error failed to get input parameters to create snapshot snap9: ";
    assertThat(contentFailure()).containsExactly(org.assertj.core.groups.Tuple.tuple(Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED,
        input + "\"failed to retrieve PV pv3 from the API server: \\\"persistentvolumes \\\\\\\"pv3\\\\\\\" not found\\\"\""));
    assertThat(contentFailure(volume("other"))).containsExactly(org.assertj.core.groups.Tuple.tuple(
        Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED, input + "\"claim in dataSource not bound or invalid\""));
    PersistentVolume hostPath = pv("pv3", "1Gi");
    hostPath = hostPath.withSpec(hostPath.spec().withClaimRef(volume("c3").spec().claimRef()));
    assertThat(contentFailure(hostPath)).containsExactly(org.assertj.core.groups.Tuple.tuple(Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED,
        "Failed to create snapshot content with error cannot find CSI PersistentVolumeSource for volume pv3"));
  }

  @Test
  void aClassChangeQueuesTheBoundSnapshotsNamingIt() {
    VolumeSnapshot bound = snapshot(Optional.of("gold"));
    bound = bound.withStatus(VolumeSnapshotStatusBuilder.builder()
        .boundVolumeSnapshotContentName(Optional.of("snapcontent-u9")).readyToUse(Optional.of(true)).build());
    VolumeSnapshotClass gold = snapClass("gold", false);
    List<ObjectKey> queued = new ArrayList<>();
    controller.watch(state(bound, gold), new Change(ObjectKey.of(gold), Optional.empty(), Optional.of(gold)), queued::add);
    assertThat(queued).containsExactly(ObjectKey.of(bound));
  }
}

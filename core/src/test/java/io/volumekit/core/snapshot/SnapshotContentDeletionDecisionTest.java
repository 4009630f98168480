package io.volumekit.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateSnapshotResponse;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.VolumeGroupSnapshot;
import io.volumekit.core.effect.CreateGroupSnapshot;
import io.volumekit.core.effect.CreateSnapshot;
import io.volumekit.core.effect.DeleteGroupSnapshot;
import io.volumekit.core.effect.DeleteSnapshot;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.groupsnapshot.CsiGroupSnapshotter;
import io.volumekit.core.groupsnapshot.GroupSnapshots;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentSourceBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentSpecBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotContentBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSpecBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The csi-snapshotter and csi-group-snapshotter on a content deleted while the driver was cutting its
 * snapshot: the handle is then only in the create's result, so the create is remembered until the
 * content is released, and a DeleteSnapshot (DeleteVolumeGroupSnapshot) that failed is retried with
 * that handle instead of releasing the content over a snapshot left on the storage.
 */
class SnapshotContentDeletionDecisionTest {

  private static final String DRIVER = "memory.csi.volumekit.io";
  private static final Instant DELETED = Instant.parse("2026-01-01T00:00:00Z");
  private static final EffectFailure UNAVAILABLE = new EffectFailure(CsiCode.UNAVAILABLE, "try later");

  private static ObjectMeta deleting(String name, String finalizer) {
    return ObjectMeta.named(name).withFinalizer(finalizer).withDeletionTimestamp(Optional.of(DELETED));
  }

  private static ClusterState state(Object content, Operation... operations) {
    ClusterState s = ClusterState.empty().put((io.volumekit.model.meta.ApiObject) content);
    for (Operation o : operations) {
      s = s.withOperation(o);
    }
    return s;
  }

  // --- single snapshots

  private final CsiSnapshotter snapshotter = new CsiSnapshotter(Map.of(DRIVER, Set.of()));
  private final VolumeSnapshotContent content = VolumeSnapshotContentBuilder.builder()
      .metadata(deleting("snapcontent-u1", Snapshots.CONTENT_BOUND_PROTECTION))
      .spec(VolumeSnapshotContentSpecBuilder.builder()
          .volumeSnapshotRef(ObjectReferenceBuilder.builder().namespace(Optional.of("default"))
              .name(Optional.of("snap")).uid(Optional.of("u1")).build())
          .deletionPolicy("Delete").driver(DRIVER)
          .source(VolumeSnapshotContentSourceBuilder.builder().volumeHandle(Optional.of("vol-1")).build())
          .build())
      .build();
  private final ObjectKey key = ObjectKey.of(content);
  private final EffectId createId = CsiSnapshotter.createId("snapcontent-u1");
  private final EffectId deleteId = CsiSnapshotter.deleteId("snapcontent-u1");
  private final Operation created = Operation.started(new CreateSnapshot(createId, key, CsiSnapshotter.NAME, DRIVER,
      CreateSnapshotRequest.of("vol-1", "snapshot-u1")), 1)
      .succeeded(new CreateSnapshotResponse(new Snapshot(1L << 30, "snap-7", "vol-1", Optional.empty(), true)));
  private final DeleteSnapshot delete = new DeleteSnapshot(deleteId, key, CsiSnapshotter.NAME, DRIVER,
      new DeleteSnapshotRequest("snap-7", Secrets.none()));

  @Test
  void aSnapshotCutWhileItsContentWasDeletedIsDeletedWithTheHandleOfTheCreateAndTheCreateIsKept() {
    assertEquals(Decision.builder().effect(delete).build(), snapshotter.reconcile(state(content, created), key));
  }

  @Test
  void aFailedDeleteSnapshotIsRetriedWithTheHandleOfTheCreate() {
    Operation failed = Operation.started(delete, 1).failed(UNAVAILABLE, DELETED);
    assertEquals(Decision.builder().acknowledge(deleteId)
            .event(EventRecord.warning(CsiSnapshotter.NAME + " " + DRIVER, key, Snapshots.SNAPSHOT_DELETE_FAILED,
                "Failed to delete snapshot: " + failed.failure().orElseThrow().text()))
            .effect(delete).build(),
        snapshotter.reconcile(state(content, created, failed), key));
  }

  @Test
  void theContentIsReleasedAndBothOperationsForgottenOnceTheSnapshotIsDeleted() {
    Operation deleted = Operation.started(delete, 1).succeeded(null);
    assertEquals(Decision.builder()
            .update(content.withMetadata(content.metadata().withoutFinalizer(Snapshots.CONTENT_BOUND_PROTECTION)))
            .forget(createId).forget(deleteId).build(),
        snapshotter.reconcile(state(content, created, deleted), key));
  }

  // --- group snapshots

  private final CsiGroupSnapshotter groupSnapshotter = new CsiGroupSnapshotter(Map.of(DRIVER, true));
  private final VolumeGroupSnapshotContent groupContent = VolumeGroupSnapshotContentBuilder.builder()
      .metadata(deleting("groupsnapcontent-g1", GroupSnapshots.CONTENT_BOUND_PROTECTION))
      .spec(VolumeGroupSnapshotContentSpecBuilder.builder()
          .volumeGroupSnapshotRef(ObjectReferenceBuilder.builder().namespace(Optional.of("default"))
              .name(Optional.of("group")).uid(Optional.of("g1")).build())
          .deletionPolicy("Delete").driver(DRIVER)
          .source(VolumeGroupSnapshotContentSourceBuilder.builder().volumeHandles(ImmutableList.of("vol-1", "vol-2"))
              .build())
          .build())
      .build();
  private final ObjectKey groupKey = ObjectKey.of(groupContent);
  private final EffectId groupCreateId = CsiGroupSnapshotter.createId("groupsnapcontent-g1");
  private final EffectId groupDeleteId = CsiGroupSnapshotter.deleteId("groupsnapcontent-g1");
  private final Operation groupCreated = Operation.started(new CreateGroupSnapshot(groupCreateId, groupKey,
      CsiGroupSnapshotter.NAME, DRIVER, CreateVolumeGroupSnapshotRequest.of("groupsnapshot-g1", "vol-1", "vol-2")), 1)
      .succeeded(new CreateVolumeGroupSnapshotResponse(new VolumeGroupSnapshot("group-3", ImmutableList.of(
          new Snapshot(1L << 30, "snap-4", "vol-1", Optional.empty(), true),
          new Snapshot(1L << 30, "snap-5", "vol-2", Optional.empty(), true)), Optional.empty(), true)));
  private final DeleteGroupSnapshot groupDelete = new DeleteGroupSnapshot(groupDeleteId, groupKey,
      CsiGroupSnapshotter.NAME, DRIVER,
      new DeleteVolumeGroupSnapshotRequest("group-3", ImmutableList.of("snap-4", "snap-5"), Secrets.none()));

  @Test
  void aGroupCutWhileItsContentWasDeletedIsDeletedWithTheIdsOfTheCreateAndTheCreateIsKept() {
    assertEquals(Decision.builder().effect(groupDelete).build(),
        groupSnapshotter.reconcile(state(groupContent, groupCreated), groupKey));
  }

  @Test
  void aFailedDeleteVolumeGroupSnapshotIsRetriedWithTheIdsOfTheCreate() {
    Operation failed = Operation.started(groupDelete, 1).failed(UNAVAILABLE, DELETED);
    assertEquals(Decision.builder().acknowledge(groupDeleteId)
            .event(EventRecord.warning(CsiGroupSnapshotter.NAME + " " + DRIVER, groupKey, GroupSnapshots.DELETE_FAILED,
                "Failed to delete group snapshot: " + failed.failure().orElseThrow().text()))
            .effect(groupDelete).build(),
        groupSnapshotter.reconcile(state(groupContent, groupCreated, failed), groupKey));
  }

  @Test
  void theGroupContentIsReleasedAndBothOperationsForgottenOnceTheGroupIsDeleted() {
    Operation deleted = Operation.started(groupDelete, 1).succeeded(null);
    assertEquals(Decision.builder()
            .update(groupContent.withMetadata(
                groupContent.metadata().withoutFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION)))
            .forget(groupCreateId).forget(groupDeleteId).build(),
        groupSnapshotter.reconcile(state(groupContent, groupCreated, deleted), groupKey));
  }

  @Test
  void aRetainedGroupContentIsReleasedWithoutDeletingTheGroup() {
    VolumeGroupSnapshotContent retained = groupContent.withSpec(groupContent.spec().withDeletionPolicy("Retain"));
    assertEquals(Decision.builder()
            .update(retained.withMetadata(retained.metadata().withoutFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION)))
            .forget(groupCreateId).build(),
        groupSnapshotter.reconcile(state(retained, groupCreated), groupKey));
  }
}

package io.volumekit.core.snapshot;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.withClass;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.volumekit.core.controller.Decision;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotContentBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotStatusBuilder;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The snapshot controller on a VolumeSnapshot deleted before it was cut: when it lets the snapshot
 * go, it also takes {@code pvc-as-source-protection} off the source claim unless another snapshot
 * of the claim is still being cut (the external snapshot-controller's {@code
 * checkandRemovePVCFinalizer(snapshot, true)}). Without it the claim, once deleted, stayed
 * Terminating for ever: nothing else releases it after the snapshot is gone (docs/cases/snapshots.md,
 * row snap-7).
 */
class SnapshotSourceReleaseDecisionTest {

  private static final Instant DELETED = Instant.parse("2026-01-01T00:00:00Z");
  private final SnapshotController controller = new SnapshotController();

  private static PersistentVolumeClaim source() {
    PersistentVolumeClaim c = withClass(pvc("c3", "1Gi"), "fast");
    return c.withMetadata(c.metadata().withFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION));
  }

  private static VolumeSnapshot snapshot(String name, String uid, boolean deleting, boolean ready) {
    ObjectMeta m = ObjectMeta.named("default", name).withUid(Optional.of(uid))
        .withFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION).withFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION);
    if (deleting) {
      m = m.withDeletionTimestamp(Optional.of(DELETED));
    }
    return VolumeSnapshotBuilder.builder().metadata(m)
        .spec(VolumeSnapshotSpecBuilder.builder().source(VolumeSnapshotSourceBuilder.builder()
            .persistentVolumeClaimName(Optional.of("c3")).build()).build())
        .status(VolumeSnapshotStatusBuilder.builder().boundVolumeSnapshotContentName(Optional.of("snapcontent-" + uid))
            .readyToUse(Optional.of(ready)).build())
        .build();
  }

  private static VolumeSnapshotContent retained(String name, String uid) {
    return VolumeSnapshotContentBuilder.builder()
        .metadata(ObjectMeta.named("snapcontent-" + uid).withFinalizer(Snapshots.CONTENT_BOUND_PROTECTION))
        .spec(VolumeSnapshotContentSpecBuilder.builder()
            .volumeSnapshotRef(ObjectReferenceBuilder.builder().namespace(Optional.of("default"))
                .name(Optional.of(name)).uid(Optional.of(uid)).build())
            .deletionPolicy("Retain").driver("memory.csi.volumekit.io")
            .source(VolumeSnapshotContentSourceBuilder.builder().volumeHandle(Optional.of("vol-1")).build())
            .build())
        .build();
  }

  private static ClusterState state(ApiObject... objects) {
    ClusterState s = ClusterState.empty();
    for (ApiObject o : objects) {
      s = s.put(o);
    }
    return s;
  }

  private static Decision.Builder released(VolumeSnapshot snap, VolumeSnapshotContent content) {
    return Decision.builder()
        .update(content.withMetadata(content.metadata().withAnnotation(Snapshots.BEING_DELETED, "yes")))
        .update(snap.withMetadata(snap.metadata().withoutFinalizer(Snapshots.SNAPSHOT_AS_SOURCE_PROTECTION)
            .withoutFinalizer(Snapshots.SNAPSHOT_BOUND_PROTECTION)));
  }

  @Test
  void aSnapshotDeletedBeforeItWasCutReleasesItsSourceClaim() {
    VolumeSnapshot snap = snapshot("snap2", "u1", true, false);
    VolumeSnapshotContent content = retained("snap2", "u1");
    PersistentVolumeClaim claim = source();
    assertEquals(released(snap, content)
            .update(claim.withMetadata(claim.metadata().withoutFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION))).build(),
        controller.reconcile(state(claim, snap, content), ObjectKey.of(snap)));
  }

  @Test
  void theSourceClaimStaysProtectedWhileAnotherSnapshotOfItIsCut() {
    VolumeSnapshot snap = snapshot("snap2", "u1", true, false);
    VolumeSnapshotContent content = retained("snap2", "u1");
    VolumeSnapshot other = snapshot("snap0", "u0", false, false);
    assertEquals(released(snap, content).build(),
        controller.reconcile(state(source(), snap, content, other, retained("snap0", "u0")), ObjectKey.of(snap)));
  }
}

package io.volumekit.core.groupsnapshot;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.snapshot.Snapshots;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotStatus;
import io.volumekit.model.groupsnapshot.VolumeSnapshotHandlePair;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.meta.OwnerReference;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotContentBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentStatusBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotSpecBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotStatusBuilder;
import java.util.Optional;

/**
 * The group snapshot controller's steady state for a bound group snapshot: its member
 * VolumeSnapshot and VolumeSnapshotContent objects (as the common controller's {@code
 * createSnapshotsForGroupSnapshotContent} makes them) and its status mirrored from the content.
 */
final class MemberSync {

  private MemberSync() {}

  static Decision sync(ClusterState state, VolumeGroupSnapshot g, VolumeGroupSnapshotContent content) {
    ObjectKey key = ObjectKey.of(g);
    Decision.Builder d = Decision.builder();
    String groupHandle = content.status().volumeGroupSnapshotHandle().orElse("");
    if (!groupHandle.isEmpty()) {
      for (VolumeSnapshotHandlePair pair : content.status().volumeSnapshotHandlePairList()) {
        member(state, g, content, groupHandle, pair, d);
      }
    }
    VolumeGroupSnapshotStatus old = g.status();
    VolumeGroupSnapshotStatus status = GroupSnapshotController.statusOf(old, content);
    VolumeGroupSnapshot updated = GroupSnapshotController.withFinalizer(g, content.spec().deletionPolicy())
        .withStatus(status);
    if (!updated.equals(g)) {
      d.update(updated);
    }
    if (old.creationTime().isEmpty() && status.creationTime().isPresent()) {
      d.event(EventRecord.normal(GroupSnapshotController.NAME, key, GroupSnapshots.CREATED,
          "GroupSnapshot " + key.namespacedName() + " was successfully created by the CSI driver."));
    }
    if (!old.readyToUse().orElse(false) && status.readyToUse().orElse(false)) {
      d.event(EventRecord.normal(GroupSnapshotController.NAME, key, GroupSnapshots.READY,
          "GroupSnapshot " + key.namespacedName() + " is ready to use."));
    }
    return d.build();
  }

  /** Creates one member's objects, binds its content to the snapshot's uid, keeps its readiness. */
  private static void member(ClusterState state, VolumeGroupSnapshot g, VolumeGroupSnapshotContent content,
      String groupHandle, VolumeSnapshotHandlePair pair, Decision.Builder d) {
    String uid = g.metadata().uid().orElse("");
    String ns = g.metadata().namespaceOrEmpty();
    String snapName = GroupSnapshots.memberSnapshotName(uid, pair.volumeHandle());
    String contentName = GroupSnapshots.memberContentName(uid, pair.volumeHandle());
    Optional<VolumeSnapshot> snap = state.get(Snapshots.snapshotKey(ns, snapName), VolumeSnapshot.class);
    Optional<VolumeSnapshotContent> vsc = state.get(Snapshots.contentKey(contentName), VolumeSnapshotContent.class);
    Optional<PersistentVolume> pv = volumeOf(state, content.spec().driver(), pair.volumeHandle());
    boolean ready = content.status().readyToUse().orElse(false);
    if (vsc.isEmpty()) {
      d.create(newContent(content, groupHandle, pair, ns, snapName, contentName, pv, ready));
    } else {
      VolumeSnapshotContent c = vsc.get();
      VolumeSnapshotContent next = c;
      if (c.spec().volumeSnapshotRef().uidOrEmpty().isEmpty() && snap.flatMap(s -> s.metadata().uid()).isPresent()) {
        next = next.withSpec(next.spec().withVolumeSnapshotRef(
            next.spec().volumeSnapshotRef().withUid(snap.get().metadata().uid())));
      }
      if (next.status().readyToUse().orElse(false) != ready) {
        next = next.withStatus(next.status().withReadyToUse(Optional.of(ready)));
      }
      if (!next.equals(c)) {
        d.update(next);
      }
    }
    if (snap.isEmpty()) {
      d.create(newSnapshot(g, ns, snapName, contentName, pv));
    }
  }

  /** The PV of a CSI volume handle, if the cluster has one. */
  private static Optional<PersistentVolume> volumeOf(ClusterState state, String driver, String handle) {
    for (PersistentVolume pv : state.list(PersistentVolume.KIND, PersistentVolume.class)) {
      if (pv.csi().filter(c -> c.driver().equals(driver) && c.volumeHandle().equals(handle)).isPresent()) {
        return Optional.of(pv);
      }
    }
    return Optional.empty();
  }

  private static VolumeSnapshotContent newContent(VolumeGroupSnapshotContent group, String groupHandle,
      VolumeSnapshotHandlePair pair, String ns, String snapName, String contentName, Optional<PersistentVolume> pv,
      boolean ready) {
    ObjectReference ref = ObjectReferenceBuilder.builder()
        .kind(Optional.of(VolumeSnapshot.KIND))
        .apiVersion(Optional.of(VolumeSnapshot.API_VERSION))
        .namespace(Optional.of(ns))
        .name(Optional.of(snapName))
        .build();
    return VolumeSnapshotContentBuilder.builder()
        .metadata(ObjectMetaBuilder.builder().name(contentName)
            .annotations(ImmutableMap.of(GroupSnapshots.GROUP_HANDLE_ANNOTATION, groupHandle))
            .finalizers(ImmutableList.of(Snapshots.CONTENT_BOUND_PROTECTION)).build())
        .spec(VolumeSnapshotContentSpecBuilder.builder()
            .volumeSnapshotRef(ref)
            .deletionPolicy(group.spec().deletionPolicy())
            .driver(group.spec().driver())
            .source(VolumeSnapshotContentSourceBuilder.builder().volumeHandle(Optional.of(pair.volumeHandle())).build())
            .sourceVolumeMode(pv.map(v -> v.spec().effectiveVolumeMode()))
            .build())
        .status(VolumeSnapshotContentStatusBuilder.builder()
            .snapshotHandle(Optional.of(pair.snapshotHandle()))
            .volumeGroupSnapshotHandle(Optional.of(groupHandle))
            .creationTime(group.status().creationTime())
            .restoreSize(pv.map(io.volumekit.core.api.Volumes::capacityBytes))
            .readyToUse(Optional.of(ready))
            .build())
        .build();
  }

  private static VolumeSnapshot newSnapshot(
      VolumeGroupSnapshot g, String ns, String snapName, String contentName, Optional<PersistentVolume> pv) {
    OwnerReference owner = new OwnerReference(VolumeGroupSnapshot.API_VERSION, VolumeGroupSnapshot.KIND,
        g.metadata().name(), g.metadata().uid().orElse(""), Optional.empty(), Optional.empty());
    String claim = pv.flatMap(v -> v.spec().claimRef()).map(ObjectReference::nameOrEmpty).orElse("");
    return VolumeSnapshotBuilder.builder()
        .metadata(ObjectMetaBuilder.builder().namespace(Optional.of(ns)).name(snapName)
            .ownerReferences(ImmutableList.of(owner))
            .finalizers(ImmutableList.of(GroupSnapshots.IN_GROUP_PROTECTION)).build())
        .spec(VolumeSnapshotSpecBuilder.builder()
            .source(VolumeSnapshotSourceBuilder.builder().persistentVolumeClaimName(Optional.of(claim)).build())
            .build())
        .status(VolumeSnapshotStatusBuilder.builder()
            .boundVolumeSnapshotContentName(Optional.of(contentName))
            .volumeGroupSnapshotName(Optional.of(g.metadata().name()))
            .readyToUse(Optional.of(false))
            .build())
        .build();
  }
}

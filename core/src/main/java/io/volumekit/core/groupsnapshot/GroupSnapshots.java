package io.volumekit.core.groupsnapshot;

import com.google.common.hash.Hashing;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.snapshot.Snapshots;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClass;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import java.nio.charset.StandardCharsets;

/**
 * The names external-snapshotter uses for volume group snapshots ({@code pkg/utils/util.go} and the
 * common controller's {@code groupsnapshot_controller_helper.go}): finalizers, annotations, event
 * reasons, and the names of the content, the CSI group snapshot and the member objects.
 */
public final class GroupSnapshots {

  private GroupSnapshots() {}

  /** On a group snapshot bound to a content with policy Delete: kept until the content is gone. */
  public static final String GROUP_BOUND_PROTECTION =
      "groupsnapshot.storage.kubernetes.io/volumegroupsnapshot-bound-protection";
  /** On a group content: kept until the group snapshot is deleted on the storage (Delete) or released (Retain). */
  public static final String CONTENT_BOUND_PROTECTION =
      "groupsnapshot.storage.kubernetes.io/volumegroupsnapshotcontent-bound-protection";
  /** On a member VolumeSnapshot: kept while its group snapshot exists. */
  public static final String IN_GROUP_PROTECTION = Snapshots.IN_GROUP_PROTECTION;
  /** On a member VolumeSnapshotContent: the CSI group snapshot id. */
  public static final String GROUP_HANDLE_ANNOTATION = "groupsnapshot.storage.k8s.io/volumeGroupSnapshotHandle";
  /** Class annotation {@code "true"}: the default group snapshot class of its driver. */
  public static final String IS_DEFAULT_CLASS = VolumeGroupSnapshotClass.IS_DEFAULT_CLASS;

  /** Event reasons of the snapshot controller and the csi-snapshotter for groups. */
  public static final String CREATING = "CreatingGroupSnapshot";
  public static final String CREATED = "GroupSnapshotCreated";
  public static final String READY = "GroupSnapshotReady";
  public static final String CONTENT_CREATION_FAILED = "GroupSnapshotContentCreationFailed";
  public static final String SET_DEFAULT_CLASS_FAILED = "SetDefaultGroupSnapshotClassFailed";
  public static final String CONTENT_MISSING = "GroupSnapshotContentMissing";
  public static final String CONTENT_MISMATCH = "GroupSnapshotContentMismatch";
  public static final String BIND_FAILED = "GroupSnapshotBindFailed";
  public static final String CREATION_FAILED = "GroupSnapshotCreationFailed";
  public static final String DELETE_FAILED = "GroupSnapshotDeleteError";

  /** The dynamic content's name: {@code groupsnapcontent-<group snapshot uid>}. */
  public static String contentName(String groupSnapshotUid) {
    return "groupsnapcontent-" + groupSnapshotUid;
  }

  /** The CSI group snapshot name (the idempotency key): {@code groupsnapshot-<group snapshot uid>}. */
  public static String csiName(String groupSnapshotUid) {
    return "groupsnapshot-" + groupSnapshotUid;
  }

  /** A member VolumeSnapshot's name: {@code snapshot-<sha256(group uid + volume handle)>}. */
  public static String memberSnapshotName(String groupSnapshotUid, String volumeHandle) {
    return "snapshot-" + sha256(groupSnapshotUid + volumeHandle);
  }

  /** A member VolumeSnapshotContent's name: {@code snapcontent-<sha256(group uid + volume handle)>}. */
  public static String memberContentName(String groupSnapshotUid, String volumeHandle) {
    return "snapcontent-" + sha256(groupSnapshotUid + volumeHandle);
  }

  private static String sha256(String s) {
    return Hashing.sha256().hashString(s, StandardCharsets.UTF_8).toString();
  }

  /** The key of a group content. */
  public static ObjectKey contentKey(String name) {
    return ObjectKey.cluster(VolumeGroupSnapshotContent.KIND, name);
  }

  /** The key of a group class. */
  public static ObjectKey classKey(String name) {
    return ObjectKey.cluster(VolumeGroupSnapshotClass.KIND, name);
  }

  /** The key of a group snapshot. */
  public static ObjectKey groupKey(String namespace, String name) {
    return ObjectKey.namespaced(VolumeGroupSnapshot.KIND, namespace, name);
  }

  /** The key of the group snapshot a content's volumeGroupSnapshotRef names. */
  public static ObjectKey groupKey(VolumeGroupSnapshotContent content) {
    return groupKey(content.spec().volumeGroupSnapshotRef().namespaceOrEmpty(),
        content.spec().volumeGroupSnapshotRef().nameOrEmpty());
  }
}

package io.volumekit.core.snapshot;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotError;
import io.volumekit.model.snapshot.VolumeSnapshotErrorBuilder;
import java.time.Instant;
import java.util.Optional;

/**
 * The names the external-snapshotter uses (its {@code pkg/utils/util.go}): finalizers, annotations,
 * event reasons, the dynamic content and CSI snapshot names, and small lookups shared by the
 * snapshot controller, the CSI snapshotter and the provisioner's restore path.
 */
public final class Snapshots {

  private Snapshots() {}

  /** The API group of the snapshot kinds. */
  public static final String GROUP = "snapshot.storage.k8s.io";

  /** On a source claim while a snapshot of it is being cut (not ready yet). */
  public static final String PVC_AS_SOURCE_PROTECTION = "snapshot.storage.kubernetes.io/pvc-as-source-protection";
  /** On a snapshot: kept while a Pending claim restores from it. */
  public static final String SNAPSHOT_AS_SOURCE_PROTECTION = "snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection";
  /** On a snapshot bound to a content with policy Delete: kept until the content is gone. */
  public static final String SNAPSHOT_BOUND_PROTECTION = "snapshot.storage.kubernetes.io/volumesnapshot-bound-protection";
  /** On a member of a volume group snapshot: kept while the group snapshot exists. */
  public static final String IN_GROUP_PROTECTION = "snapshot.storage.kubernetes.io/volumesnapshot-in-group-protection";
  /** The kind of a volume group snapshot (groupsnapshot.storage.k8s.io), whose members this controller keeps. */
  public static final String GROUP_SNAPSHOT_KIND = io.volumekit.model.groupsnapshot.VolumeGroupSnapshot.KIND;
  /** On a content: kept until the physical snapshot is deleted (Delete) or the snapshot is gone (Retain). */
  public static final String CONTENT_BOUND_PROTECTION = "snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection";

  /** Content annotation while CreateSnapshot is outstanding. */
  public static final String BEING_CREATED = "snapshot.storage.kubernetes.io/volumesnapshot-being-created";
  /** Content annotation once its snapshot is being deleted. */
  public static final String BEING_DELETED = "snapshot.storage.kubernetes.io/volumesnapshot-being-deleted";
  /** Content annotation: the secret name DeleteSnapshot uses. */
  public static final String DELETION_SECRET_NAME = SnapshotterSecrets.DELETION_SECRET_NAME;
  /** Content annotation: the secret namespace DeleteSnapshot uses. */
  public static final String DELETION_SECRET_NAMESPACE = SnapshotterSecrets.DELETION_SECRET_NAMESPACE;
  /** Content annotation {@code "true"}: a claim may restore it with another volume mode. */
  public static final String ALLOW_VOLUME_MODE_CHANGE = "snapshot.storage.kubernetes.io/allow-volume-mode-change";
  /** Class annotation {@code "true"}: the default snapshot class of its driver. */
  public static final String IS_DEFAULT_CLASS = VolumeSnapshotClass.IS_DEFAULT_CLASS;

  /** Class parameter: the snapshotter secret's name. */
  public static final String SECRET_NAME_PARAM = SnapshotterSecrets.NAME_PARAM;
  /** Class parameter: the snapshotter secret's namespace. */
  public static final String SECRET_NAMESPACE_PARAM = SnapshotterSecrets.NAMESPACE_PARAM;
  /** The reserved parameter prefix, stripped before CreateSnapshot. */
  public static final String RESERVED_PREFIX = "csi.storage.k8s.io/";

  /** Deletion policy Delete. */
  public static final String DELETE = "Delete";
  /** Deletion policy Retain. */
  public static final String RETAIN = "Retain";

  /** The snapshot controller's event source. */
  public static final String CONTROLLER_SOURCE = "snapshot-controller";

  /** Event reasons of the snapshot controller and the CSI snapshotter. */
  public static final String CREATING_SNAPSHOT = "CreatingSnapshot";
  public static final String SNAPSHOT_CREATED = "SnapshotCreated";
  public static final String SNAPSHOT_READY = "SnapshotReady";
  public static final String SNAPSHOT_CONTENT_CREATION_FAILED = "SnapshotContentCreationFailed";
  public static final String SNAPSHOT_CREATION_FAILED = "SnapshotCreationFailed";
  public static final String SNAPSHOT_DELETE_PENDING = "SnapshotDeletePending";
  public static final String SNAPSHOT_CONTENT_MISSING = "SnapshotContentMissing";
  public static final String SNAPSHOT_CONTENT_MISBOUND = "SnapshotContentMisbound";
  public static final String SET_DEFAULT_SNAPSHOT_CLASS_FAILED = "SetDefaultSnapshotClassFailed";
  public static final String GET_SNAPSHOT_CLASS_FAILED = "GetSnapshotClassFailed";
  public static final String SNAPSHOT_DELETE_FAILED = "SnapshotDeleteError";

  /** The dynamic content's name for a snapshot: {@code snapcontent-<snapshot uid>}. */
  public static String contentName(VolumeSnapshot snapshot) {
    return "snapcontent-" + snapshot.metadata().uid().orElseThrow(() -> new IllegalArgumentException("snapshot without uid"));
  }

  /** The CSI snapshot name (CreateSnapshot's idempotency key): {@code snapshot-<snapshot uid>}. */
  public static String csiName(String snapshotUid) {
    return "snapshot-" + snapshotUid;
  }

  /** The key of a content. */
  public static ObjectKey contentKey(String name) {
    return ObjectKey.cluster(VolumeSnapshotContent.KIND, name);
  }

  /** The key of a class. */
  public static ObjectKey classKey(String name) {
    return ObjectKey.cluster(VolumeSnapshotClass.KIND, name);
  }

  /** The key of a snapshot. */
  public static ObjectKey snapshotKey(String namespace, String name) {
    return ObjectKey.namespaced(VolumeSnapshot.KIND, namespace, name);
  }

  /** The key of the snapshot a content's volumeSnapshotRef names. */
  public static ObjectKey snapshotKey(VolumeSnapshotContent content) {
    return snapshotKey(content.spec().volumeSnapshotRef().namespaceOrEmpty(), content.spec().volumeSnapshotRef().nameOrEmpty());
  }

  /** Whether the content's volumeSnapshotRef names the snapshot (and its uid, when the ref has one). */
  public static boolean refersTo(VolumeSnapshotContent content, VolumeSnapshot snapshot) {
    var ref = content.spec().volumeSnapshotRef();
    return ref.nameOrEmpty().equals(snapshot.metadata().name())
        && ref.namespaceOrEmpty().equals(snapshot.metadata().namespaceOrEmpty())
        && !ref.uidOrEmpty().isEmpty()
        && ref.uidOrEmpty().equals(snapshot.metadata().uid().orElse(""));
  }

  /** The content's snapshot handle: the status one (dynamic) or the spec one (pre-provisioned). */
  public static Optional<String> handle(VolumeSnapshotContent content) {
    return content.status().snapshotHandle().or(() -> content.spec().source().snapshotHandle());
  }

  /** A content status time in ns since the epoch, as an instant. */
  public static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** An instant in ns since the epoch (content status). */
  public static long toNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /**
   * Whether a status error already says {@code message}: the snapshot controllers write a failure
   * into a status once, not again on every sync that meets it.
   */
  public static boolean hasErrorMessage(Optional<VolumeSnapshotError> error, String message) {
    return error.flatMap(VolumeSnapshotError::message).map(message::equals).orElse(false);
  }

  /** A status error with the message (the snapshot kinds' {@code status.error}). */
  public static VolumeSnapshotError error(String message) {
    return VolumeSnapshotErrorBuilder.builder().message(Optional.of(message)).build();
  }

  /** The finalizers the snapshot controller owns on snapshots. */
  static final ImmutableList<String> SNAPSHOT_FINALIZERS =
      ImmutableList.of(SNAPSHOT_AS_SOURCE_PROTECTION, SNAPSHOT_BOUND_PROTECTION);
}

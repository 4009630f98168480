package io.volumekit.core.groupsnapshot;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.snapshot.Snapshots;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.GroupSnapshotIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClass;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentSourceBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentSpecBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotStatus;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotStatusBuilder;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The snapshot controller's group part (external-snapshotter's common controller, {@code
 * groupsnapshot_controller_helper.go}; docs/cases/snapshots.md, rows {@code grp-*}).
 *
 * <ul>
 *   <li>Dynamic ({@code source.selector}): every claim of the namespace the selector matches must
 *       be Bound to a CSI volume of one driver; the class is the named one or the driver's default
 *       ({@code groupsnapshot.storage.kubernetes.io/is-default-class}, written into the spec); the
 *       content {@code groupsnapcontent-<uid>} is created with the claims' volume handles, the
 *       class's driver and deletion policy.
 *   <li>Pre-provisioned ({@code source.volumeGroupSnapshotContentName}): the content must have
 *       {@code groupSnapshotHandles} and name this group snapshot in its ref; its uid is filled in.
 *   <li>Once the csi-snapshotter has filled the content's status, one VolumeSnapshotContent {@code
 *       snapcontent-<sha256(uid+handle)>} and one VolumeSnapshot {@code snapshot-<sha256(uid+handle)>}
 *       per member, bound to each other, with the group handle annotation, the {@code
 *       volumesnapshot-in-group-protection} finalizer, an owner reference to the group snapshot and
 *       {@code status.volumeGroupSnapshotName}; the snapshot controller mirrors their status and the
 *       provisioner restores them like any snapshot.
 *   <li>Status {@code boundVolumeGroupSnapshotContentName}, {@code creationTime}, {@code readyToUse},
 *       {@code error} from the content; events {@code GroupSnapshotCreated}, {@code GroupSnapshotReady}.
 *   <li>Deletion: a Delete-policy content is deleted first (the csi-snapshotter deletes the group on
 *       the storage), the group snapshot's finalizer is kept until it is gone; then the garbage
 *       collector deletes the member snapshots (owner reference), whose deletion no longer waits.
 * </ul>
 */
public final class GroupSnapshotController implements Controller {

  /** The controller's name (a part of the snapshot controller). */
  public static final String NAME = "snapshot-controller";

  @Override
  public String name() {
    return "group-snapshot-controller";
  }

  /** Some group snapshot of the change's namespace waits to be bound (what a claim change re-examines). */
  private static final ChangeFact GROUPS_WAITING = ChangeFact.of("group snapshots waiting",
      f -> !f.state().index(GroupSnapshotIndex.class).unbound(f.change().key().namespace()).isEmpty());

  @Override
  public WatchedKinds watches() {
    // A member snapshot as it is now (its group's status); a claim while a group snapshot of its
    // namespace waits.
    return WatchedKinds.of(VolumeGroupSnapshot.KIND, VolumeGroupSnapshotContent.KIND, PersistentVolumeClaim.KIND,
        VolumeGroupSnapshotClass.KIND, VolumeSnapshot.KIND)
        .only(VolumeSnapshot.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .when(PersistentVolumeClaim.KIND, GROUPS_WAITING);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case VolumeGroupSnapshot.KIND -> {
        enqueue.accept(change.key());
        if (change.after().isEmpty()) {
          // The group snapshot is gone: its members go, its content may be released.
          members(state, change.key()).forEach(s -> enqueue.accept(ObjectKey.of(s)));
          change.beforeAs(VolumeGroupSnapshot.class).flatMap(g -> g.status().boundVolumeGroupSnapshotContentName())
              .ifPresent(n -> enqueue.accept(GroupSnapshots.contentKey(n)));
        }
      }
      case VolumeGroupSnapshotContent.KIND -> {
        enqueue.accept(change.key());
        change.afterAs(VolumeGroupSnapshotContent.class).or(() -> change.beforeAs(VolumeGroupSnapshotContent.class))
            .ifPresent(c -> enqueue.accept(GroupSnapshots.groupKey(c)));
      }
      case VolumeSnapshot.KIND -> change.afterAs(VolumeSnapshot.class)
          .flatMap(s -> s.status().volumeGroupSnapshotName())
          .ifPresent(g -> enqueue.accept(GroupSnapshots.groupKey(change.key().namespace(), g)));
      // Claims change often, group snapshots wait rarely: with none waiting this is one check.
      case PersistentVolumeClaim.KIND ->
          state.index(GroupSnapshotIndex.class).unbound(change.key().namespace()).forEach(enqueue);
      case VolumeGroupSnapshotClass.KIND -> state.index(GroupSnapshotIndex.class).unbound().forEach(enqueue);
      default -> {}
    }
  }

  /** The member snapshots of a group snapshot ({@code status.volumeGroupSnapshotName}). */
  static List<VolumeSnapshot> members(ClusterState state, ObjectKey group) {
    List<VolumeSnapshot> out = new ArrayList<>();
    for (var o : state.list(VolumeSnapshot.KIND, group.namespace())) {
      VolumeSnapshot s = (VolumeSnapshot) o;
      if (s.status().volumeGroupSnapshotName().map(group.name()::equals).orElse(false)) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    return switch (key.kind()) {
      case VolumeSnapshot.KIND -> state.get(key, VolumeSnapshot.class).map(s -> orphanMember(state, s))
          .orElse(Decision.none());
      case VolumeGroupSnapshotContent.KIND -> state.get(key, VolumeGroupSnapshotContent.class)
          .map(c -> orphanContent(state, c)).orElse(Decision.none());
      case VolumeGroupSnapshot.KIND -> state.get(key, VolumeGroupSnapshot.class).map(g -> group(state, g))
          .orElse(Decision.none());
      default -> Decision.none();
    };
  }

  private Decision group(ClusterState state, VolumeGroupSnapshot g) {
    if (g.metadata().isDeleting()) {
      return deleting(state, g);
    }
    if (g.spec().source().selector().isPresent()) {
      return dynamic(state, g);
    }
    return preProvisioned(state, g);
  }

  // --- dynamic -------------------------------------------------------------------------------

  private Decision dynamic(ClusterState state, VolumeGroupSnapshot g) {
    ObjectKey key = ObjectKey.of(g);
    String uid = g.metadata().uid().orElse("");
    String contentName = g.status().boundVolumeGroupSnapshotContentName().orElse(GroupSnapshots.contentName(uid));
    Optional<VolumeGroupSnapshotContent> content =
        state.get(GroupSnapshots.contentKey(contentName), VolumeGroupSnapshotContent.class);
    if (content.isPresent()) {
      if (content.get().spec().source().groupSnapshotHandles().isPresent()) {
        return error(g, "GroupSnapshotHandleSet", "GroupSnapshot handle should not be set in group snapshot content "
            + key.namespacedName() + " for dynamic provisioning");
      }
      return MemberSync.sync(state, g, content.get());
    }
    if (g.status().boundVolumeGroupSnapshotContentName().isPresent()) {
      return error(g, GroupSnapshots.CONTENT_MISSING, "VolumeGroupSnapshotContent is missing");
    }
    String failed = "failed to create group snapshot content with error ";
    LabelSelector selector = g.spec().source().selector().orElseThrow();
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    for (var o : state.list(PersistentVolumeClaim.KIND, key.namespace())) {
      PersistentVolumeClaim c = (PersistentVolumeClaim) o;
      if (selector.matches(c.metadata().labels())) {
        claims.add(c);
      }
    }
    claims.sort(Comparator.comparing(c -> c.metadata().name()));
    if (claims.isEmpty()) {
      return error(g, GroupSnapshots.CONTENT_CREATION_FAILED, failed + "label selector " + selector.matchLabels()
          + " for group snapshot not applied to any PVC");
    }
    List<String> handles = new ArrayList<>();
    TreeSet<String> drivers = new TreeSet<>();
    for (PersistentVolumeClaim c : claims) {
      String name = c.metadata().name();
      if (!c.phase().equals(PersistentVolumeClaimStatus.BOUND) || c.volumeName().isEmpty()) {
        return error(g, GroupSnapshots.CONTENT_CREATION_FAILED, failed + "the PVC " + name
            + " is not yet bound to a PV, will not attempt to take a group snapshot");
      }
      Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(c.volumeName().get()), PersistentVolume.class);
      if (pv.isEmpty() || pv.get().csi().isEmpty()) {
        return error(g, GroupSnapshots.CONTENT_CREATION_FAILED, failed + "cannot find CSI PersistentVolumeSource for volume "
            + c.volumeName().get());
      }
      handles.add(pv.get().csi().get().volumeHandle());
      drivers.add(pv.get().csi().get().driver());
    }
    if (drivers.size() > 1) {
      return error(g, GroupSnapshots.CONTENT_CREATION_FAILED, failed + "the PVCs of the group belong to several CSI drivers "
          + drivers + "; a group snapshot is taken by one driver");
    }
    String driver = drivers.first();
    if (g.spec().volumeGroupSnapshotClassName().isEmpty()) {
      List<VolumeGroupSnapshotClass> defaults = state.list(VolumeGroupSnapshotClass.KIND, VolumeGroupSnapshotClass.class)
          .stream()
          .filter(c -> c.driver().equals(driver))
          .filter(c -> c.metadata().annotation(GroupSnapshots.IS_DEFAULT_CLASS).map("true"::equals).orElse(false))
          .toList();
      if (defaults.size() != 1) {
        String why = defaults.isEmpty() ? "cannot find default group snapshot class"
            : defaults.size() + " default group snapshot classes were found";
        return error(g, GroupSnapshots.SET_DEFAULT_CLASS_FAILED, "Failed to set default group snapshot class with error " + why);
      }
      return Decision.update(g.withSpec(g.spec().withVolumeGroupSnapshotClassName(
          Optional.of(defaults.get(0).metadata().name()))));
    }
    String className = g.spec().volumeGroupSnapshotClassName().get();
    Optional<VolumeGroupSnapshotClass> cls =
        state.get(GroupSnapshots.classKey(className), VolumeGroupSnapshotClass.class);
    if (cls.isEmpty()) {
      return error(g, GroupSnapshots.CONTENT_CREATION_FAILED, failed + "failed to retrieve group snapshot class "
          + className + " from the informer: volumegroupsnapshotclass " + className + " not found");
    }
    if (!cls.get().driver().equals(driver)) {
      return error(g, GroupSnapshots.CONTENT_CREATION_FAILED, failed + "group snapshot class " + className + " is for driver "
          + cls.get().driver() + ", the volumes are of driver " + driver);
    }
    VolumeGroupSnapshotContent c = newContent(g, contentName, cls.get(), handles);
    Decision.Builder d = Decision.builder().create(c);
    d.update(withFinalizer(g, cls.get().deletionPolicy()).withStatus(g.status()
        .withBoundVolumeGroupSnapshotContentName(Optional.of(contentName)).withReadyToUse(Optional.of(false))));
    d.event(EventRecord.normal(NAME, key, GroupSnapshots.CREATING,
        "Waiting for a group snapshot " + key.namespacedName() + " to be created by the CSI driver."));
    return d.build();
  }

  private static VolumeGroupSnapshotContent newContent(
      VolumeGroupSnapshot g, String name, VolumeGroupSnapshotClass cls, List<String> handles) {
    ObjectReference ref = ObjectReferenceBuilder.builder()
        .kind(Optional.of(VolumeGroupSnapshot.KIND))
        .apiVersion(Optional.of(VolumeGroupSnapshot.API_VERSION))
        .namespace(g.metadata().namespace())
        .name(Optional.of(g.metadata().name()))
        .uid(g.metadata().uid())
        .build();
    return VolumeGroupSnapshotContentBuilder.builder()
        .metadata(ObjectMetaBuilder.builder().name(name)
            .finalizers(ImmutableList.of(GroupSnapshots.CONTENT_BOUND_PROTECTION)).build())
        .spec(VolumeGroupSnapshotContentSpecBuilder.builder()
            .volumeGroupSnapshotRef(ref)
            .deletionPolicy(cls.deletionPolicy())
            .driver(cls.driver())
            .volumeGroupSnapshotClassName(Optional.of(cls.metadata().name()))
            .source(VolumeGroupSnapshotContentSourceBuilder.builder().volumeHandles(ImmutableList.copyOf(handles)).build())
            .build())
        .build();
  }

  // --- pre-provisioned -------------------------------------------------------------------------

  private Decision preProvisioned(ClusterState state, VolumeGroupSnapshot g) {
    String contentName = g.spec().source().volumeGroupSnapshotContentName().orElse("");
    Optional<VolumeGroupSnapshotContent> found =
        state.get(GroupSnapshots.contentKey(contentName), VolumeGroupSnapshotContent.class);
    if (found.isEmpty()) {
      return error(g, GroupSnapshots.CONTENT_MISSING, "VolumeGroupSnapshotContent is missing");
    }
    VolumeGroupSnapshotContent c = found.get();
    if (c.spec().source().groupSnapshotHandles().isEmpty()) {
      return error(g, GroupSnapshots.CONTENT_MISMATCH,
          "VolumeGroupSnapshotContent is dynamically provisioned while expecting a pre-provisioned one");
    }
    ObjectReference ref = c.spec().volumeGroupSnapshotRef();
    String uid = g.metadata().uid().orElse("");
    boolean names = ref.nameOrEmpty().equals(g.metadata().name())
        && ref.namespaceOrEmpty().equals(g.metadata().namespaceOrEmpty());
    if (!names || (!ref.uidOrEmpty().isEmpty() && !ref.uidOrEmpty().equals(uid))) {
      return error(g, GroupSnapshots.BIND_FAILED, "GroupSnapshot failed to bind VolumeGroupSnapshotContent, "
          + "VolumeGroupSnapshotContent " + contentName + " is bound to a different group snapshot");
    }
    if (ref.uidOrEmpty().isEmpty() || !c.metadata().hasFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION)) {
      ObjectMeta m = c.metadata().hasFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION) ? c.metadata()
          : c.metadata().withFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION);
      return Decision.update(c.withSpec(c.spec().withVolumeGroupSnapshotRef(ref.withUid(Optional.of(uid))
          .withKind(Optional.of(VolumeGroupSnapshot.KIND)).withApiVersion(Optional.of(VolumeGroupSnapshot.API_VERSION))))
          .withMetadata(m));
    }
    return MemberSync.sync(state, g, c);
  }

  // --- status and errors -----------------------------------------------------------------------

  /** The group snapshot with the bound finalizer when its content's policy is Delete. */
  static VolumeGroupSnapshot withFinalizer(VolumeGroupSnapshot g, String policy) {
    if (Snapshots.DELETE.equals(policy) && !g.metadata().hasFinalizer(GroupSnapshots.GROUP_BOUND_PROTECTION)) {
      return g.withMetadata(g.metadata().withFinalizer(GroupSnapshots.GROUP_BOUND_PROTECTION));
    }
    return g;
  }

  /** The group status mirrored from its content. */
  static VolumeGroupSnapshotStatus statusOf(VolumeGroupSnapshotStatus old, VolumeGroupSnapshotContent content) {
    var cs = content.status();
    return VolumeGroupSnapshotStatusBuilder.builder(old)
        .boundVolumeGroupSnapshotContentName(Optional.of(content.metadata().name()))
        .creationTime(cs.creationTime().map(Snapshots::fromNanos).or(old::creationTime))
        .readyToUse(Optional.of(cs.readyToUse().orElse(false)))
        .error(cs.error().or(() -> cs.readyToUse().orElse(false) ? Optional.empty() : old.error()))
        .build();
  }

  /** Records the error in the group snapshot's status (readyToUse false) and as a Warning event. */
  private static Decision error(VolumeGroupSnapshot g, String reason, String message) {
    Decision.Builder d = Decision.builder();
    boolean same = Snapshots.hasErrorMessage(g.status().error(), message)
        && g.status().readyToUse().isPresent();
    if (!same) {
      d.update(g.withStatus(g.status().withError(Optional.of(Snapshots.error(message)))
          .withReadyToUse(Optional.of(false))));
    }
    d.event(EventRecord.warning(NAME, ObjectKey.of(g), reason, message));
    return d.build();
  }

  // --- deletion --------------------------------------------------------------------------------

  private Decision deleting(ClusterState state, VolumeGroupSnapshot g) {
    if (!g.metadata().hasFinalizer(GroupSnapshots.GROUP_BOUND_PROTECTION)) {
      return Decision.none();
    }
    String uid = g.metadata().uid().orElse("");
    Optional<VolumeGroupSnapshotContent> content = g.status().boundVolumeGroupSnapshotContentName()
        .or(() -> g.spec().source().volumeGroupSnapshotContentName())
        .flatMap(n -> state.get(GroupSnapshots.contentKey(n), VolumeGroupSnapshotContent.class))
        .filter(c -> c.spec().volumeGroupSnapshotRef().uidOrEmpty().equals(uid));
    if (content.isPresent() && Snapshots.DELETE.equals(content.get().spec().deletionPolicy())) {
      // The group snapshot on the storage goes first; the finalizer stays until the content is gone.
      VolumeGroupSnapshotContent c = content.get();
      return c.metadata().isDeleting() ? Decision.none()
          : Decision.builder().delete(ObjectKey.of(c), c.metadata().uid().orElse("")).build();
    }
    return Decision.update(g.withMetadata(g.metadata().withoutFinalizer(GroupSnapshots.GROUP_BOUND_PROTECTION)));
  }

  /**
   * A member snapshot whose group snapshot is gone: the garbage collector deletes it through its
   * owner reference; one whose deletion was already pending is handed back to the snapshot controller.
   */
  private static Decision orphanMember(ClusterState state, VolumeSnapshot s) {
    Optional<String> group = s.status().volumeGroupSnapshotName();
    if (group.isEmpty() || !s.metadata().hasFinalizer(GroupSnapshots.IN_GROUP_PROTECTION)
        || state.contains(GroupSnapshots.groupKey(s.metadata().namespaceOrEmpty(), group.get()))) {
      return Decision.none();
    }
    if (s.metadata().isDeleting()) {
      // Its deletion waited for the group: the snapshot controller may now let it go.
      return Decision.builder().handOff(io.volumekit.core.snapshot.SnapshotController.NAME, ObjectKey.of(s)).build();
    }
    return Decision.none(); // the garbage collector deletes it (owner reference to the group snapshot)
  }

  /** A content whose group snapshot is gone: delete it (policy Delete) or release its finalizer (Retain). */
  private static Decision orphanContent(ClusterState state, VolumeGroupSnapshotContent c) {
    String uid = c.spec().volumeGroupSnapshotRef().uidOrEmpty();
    if (uid.isEmpty() || c.metadata().isDeleting()) {
      return Decision.none();
    }
    boolean bound = state.get(GroupSnapshots.groupKey(c), VolumeGroupSnapshot.class)
        .filter(g -> g.metadata().uid().orElse("").equals(uid)).isPresent();
    if (bound) {
      return Decision.none();
    }
    if (Snapshots.DELETE.equals(c.spec().deletionPolicy())) {
      return Decision.builder().delete(ObjectKey.of(c), c.metadata().uid().orElse("")).build();
    }
    if (c.metadata().hasFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION)) {
      return Decision.update(c.withMetadata(c.metadata().withoutFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION)));
    }
    return Decision.none();
  }

  @Override
  public String toString() {
    return "GroupSnapshotController";
  }
}

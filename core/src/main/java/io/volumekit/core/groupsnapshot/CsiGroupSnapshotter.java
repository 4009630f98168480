package io.volumekit.core.groupsnapshot;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeGroupSnapshot;
import io.volumekit.core.effect.CreateGroupSnapshot;
import io.volumekit.core.effect.DeleteGroupSnapshot;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.GetGroupSnapshot;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.snapshot.Snapshots;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Secret;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClass;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentStatus;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentStatusBuilder;
import io.volumekit.model.groupsnapshot.VolumeSnapshotHandlePair;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The csi-snapshotter sidecar's group part for every driver registered with the engine
 * (external-snapshotter's {@code pkg/sidecar-controller/groupsnapshot_helper.go}): makes the
 * GroupController calls for the VolumeGroupSnapshotContents of its drivers.
 *
 * <ul>
 *   <li>Dynamic content ({@code source.volumeHandles}) without a group handle: {@code
 *       CreateVolumeGroupSnapshot} named {@code groupsnapshot-<VolumeGroupSnapshot uid>} with the
 *       volume handles, the class's parameters without the reserved {@code csi.storage.k8s.io/}
 *       keys and the group snapshotter secret ({@code csi.storage.k8s.io/group-snapshotter-secret-name
 *       /namespace}); the answer fills the status ({@code volumeGroupSnapshotHandle}, {@code
 *       creationTime}, {@code readyToUse}, {@code volumeSnapshotHandlePairList}). A group answered
 *       not ready is asked again by name every {@value #READY_CHECK_SECONDS}s. A driver that does not
 *       report the group controller capability {@code CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT} gets
 *       {@code GroupSnapshotCreationFailed} and nothing is called.
 *   <li>Pre-provisioned content ({@code source.groupSnapshotHandles}): {@code GetVolumeGroupSnapshot}
 *       fills the status, members included.
 *   <li>A deleted content with policy Delete: {@code DeleteVolumeGroupSnapshot} with the group handle
 *       and its members' snapshot ids, then the {@code volumegroupsnapshotcontent-bound-protection}
 *       finalizer is removed; with Retain the finalizer is removed and the group kept.
 * </ul>
 */
public final class CsiGroupSnapshotter implements Controller {

  /** The controller's name. */
  public static final String NAME = "csi-group-snapshotter";

  /** The delay between two checks of a group snapshot that is not ready yet. */
  public static final long READY_CHECK_SECONDS = 1;

  /** Class parameter: the group snapshotter secret's name. */
  public static final String SECRET_NAME_PARAM = "csi.storage.k8s.io/group-snapshotter-secret-name";
  /** Class parameter: the group snapshotter secret's namespace. */
  public static final String SECRET_NAMESPACE_PARAM = "csi.storage.k8s.io/group-snapshotter-secret-namespace";

  private final Map<String, Boolean> drivers;

  /** A group snapshotter for the drivers, each with whether it reports CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT. */
  public CsiGroupSnapshotter(Map<String, Boolean> drivers) {
    this.drivers = Map.copyOf(new TreeMap<>(drivers));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the CreateVolumeGroupSnapshot operation of a content. */
  public static EffectId createId(String content) {
    return EffectId.of("group-snapshot-create-" + content);
  }

  /** The id of the DeleteVolumeGroupSnapshot operation of a content. */
  public static EffectId deleteId(String content) {
    return EffectId.of("group-snapshot-delete-" + content);
  }

  /** The id of the GetVolumeGroupSnapshot operation of a pre-provisioned content. */
  public static EffectId getId(String content) {
    return EffectId.of("group-snapshot-get-" + content);
  }

  @Override
  public WatchedKinds watches() {
    return WatchedKinds.of(VolumeGroupSnapshotContent.KIND);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(VolumeGroupSnapshotContent.KIND)) {
      enqueue.accept(change.key());
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (!key.kind().equals(VolumeGroupSnapshotContent.KIND)) {
      return Decision.none();
    }
    Optional<VolumeGroupSnapshotContent> found = state.get(key, VolumeGroupSnapshotContent.class);
    if (found.isEmpty()) {
      Decision.Builder d = Decision.builder();
      for (EffectId id : new EffectId[] {createId(key.name()), deleteId(key.name()), getId(key.name())}) {
        state.operation(id).filter(op -> !op.inFlight()).ifPresent(op -> d.forget(id));
      }
      return d.build();
    }
    VolumeGroupSnapshotContent content = found.get();
    if (!drivers.containsKey(content.spec().driver())) {
      return Decision.none();
    }
    if (content.metadata().isDeleting()) {
      return deleting(state, content);
    }
    if (content.status().volumeGroupSnapshotHandle().isPresent() && content.status().readyToUse().orElse(false)) {
      return Decision.none(); // OBSERVATION: the group snapshot is cut and ready
    }
    if (!drivers.get(content.spec().driver())) {
      return failed(content, "Failed to create group snapshot: CSI driver " + content.spec().driver()
          + " does not support volume group snapshots: group controller CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT"
          + " capability is not reported");
    }
    if (!content.spec().source().volumeHandles().isEmpty()) {
      return create(state, content);
    }
    return get(state, content);
  }

  private Decision create(ClusterState state, VolumeGroupSnapshotContent content) {
    String uid = content.spec().volumeGroupSnapshotRef().uidOrEmpty();
    if (uid.isEmpty()) {
      return Decision.none();
    }
    EffectId id = createId(content.metadata().name());
    Optional<Operation> op = state.operation(id);
    if (op.isEmpty()) {
      Secrets secrets;
      ImmutableMap<String, String> params;
      try {
        Optional<VolumeGroupSnapshotClass> cls = classOf(state, content);
        params = cls.map(CsiGroupSnapshotter::parameters).orElse(ImmutableMap.of());
        secrets = cls.isPresent() ? secrets(state, cls.get()) : Secrets.none();
      } catch (IllegalStateException e) {
        return failed(content, "Failed to create group snapshot: " + e.getMessage());
      }
      return Decision.builder().effect(new CreateGroupSnapshot(id, ObjectKey.of(content), NAME, content.spec().driver(),
          new CreateVolumeGroupSnapshotRequest(GroupSnapshots.csiName(uid), content.spec().source().volumeHandles(),
              secrets, params))).build();
    }
    return answered(content, op.get(), id, r -> r.resultAs(CreateVolumeGroupSnapshotResponse.class).orElseThrow()
        .groupSnapshot(), "Failed to create group snapshot: ");
  }

  private Decision get(ClusterState state, VolumeGroupSnapshotContent content) {
    var handles = content.spec().source().groupSnapshotHandles().orElseThrow();
    EffectId id = getId(content.metadata().name());
    Optional<Operation> op = state.operation(id);
    if (op.isEmpty()) {
      return Decision.builder().effect(new GetGroupSnapshot(id, ObjectKey.of(content), NAME, content.spec().driver(),
          GetVolumeGroupSnapshotRequest.of(handles.volumeGroupSnapshotHandle(), handles.volumeSnapshotHandles())))
          .build();
    }
    return answered(content, op.get(), id, r -> r.resultAs(GetVolumeGroupSnapshotResponse.class).orElseThrow()
        .groupSnapshot(), "Failed to check and update group snapshot content: ");
  }

  /** Acts on the answer of a create or get: records it, checks again later while not ready, reports a failure once. */
  private static Decision answered(VolumeGroupSnapshotContent content, Operation o, EffectId id,
      Function<Operation, VolumeGroupSnapshot> group, String failure) {
    Duration delay = Duration.ofSeconds(READY_CHECK_SECONDS);
    if (o.inFlight()) {
      return Decision.none();
    }
    if (o.scheduled()) {
      return Decision.builder().effect(o.effect()).requeueAfter(delay).build();
    }
    if (o.succeeded()) {
      VolumeGroupSnapshot g = group.apply(o);
      Decision.Builder d = Decision.builder().update(content.withStatus(statusOf(content.status(), g))).forget(id);
      if (!g.readyToUse()) {
        d.effectAfter(o.effect(), delay).requeueAfter(delay);
      }
      return d.build();
    }
    Decision.Builder d = Decision.builder();
    if (o.unreportedFailure()) {
      d = failed(content, failure + o.failure().orElseThrow().text()).toBuilder().acknowledge(id);
    }
    return d.effect(o.effect()).build();
  }

  private static VolumeGroupSnapshotContentStatus statusOf(VolumeGroupSnapshotContentStatus old, VolumeGroupSnapshot g) {
    ImmutableList<VolumeSnapshotHandlePair> pairs = g.snapshots().stream()
        .map(s -> new VolumeSnapshotHandlePair(s.sourceVolumeId(), s.snapshotId()))
        .collect(ImmutableList.toImmutableList());
    return VolumeGroupSnapshotContentStatusBuilder.builder(old)
        .volumeGroupSnapshotHandle(Optional.of(g.groupSnapshotId()))
        .creationTime(g.creationTime().map(Snapshots::toNanos).or(old::creationTime))
        .readyToUse(Optional.of(g.readyToUse()))
        .error(Optional.empty())
        .volumeSnapshotHandlePairList(pairs)
        .build();
  }

  private static Optional<VolumeGroupSnapshotClass> classOf(ClusterState state, VolumeGroupSnapshotContent content) {
    Optional<String> name = content.spec().volumeGroupSnapshotClassName();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(state.get(GroupSnapshots.classKey(name.get()), VolumeGroupSnapshotClass.class)
        .orElseThrow(() -> new IllegalStateException("failed to get group snapshot class " + name.get()
            + ": volumegroupsnapshotclasses.groupsnapshot.storage.k8s.io \"" + name.get() + "\" not found")));
  }

  private static ImmutableMap<String, String> parameters(VolumeGroupSnapshotClass cls) {
    Map<String, String> params = new TreeMap<>();
    cls.parameters().forEach((k, v) -> {
      if (!k.startsWith(Snapshots.RESERVED_PREFIX)) {
        params.put(k, v);
      }
    });
    return ImmutableMap.copyOf(params);
  }

  /** The class's group snapshotter secret (literal name and namespace; templates are refused). */
  private static Secrets secrets(ClusterState state, VolumeGroupSnapshotClass cls) {
    String name = cls.parameters().get(SECRET_NAME_PARAM);
    String namespace = cls.parameters().get(SECRET_NAMESPACE_PARAM);
    if (name == null && namespace == null) {
      return Secrets.none();
    }
    if (name == null || namespace == null || name.contains("${") || namespace.contains("${")) {
      throw new IllegalStateException("group snapshotter secret of class " + cls.metadata().name()
          + ": both " + SECRET_NAME_PARAM + " and " + SECRET_NAMESPACE_PARAM
          + " must be set, without templates (volumekit does not expand them for group snapshots)");
    }
    return state.get(ObjectKey.namespaced(Secret.KIND, namespace, name), Secret.class).map(Secrets::fromSecret)
        .orElseThrow(() -> new IllegalStateException("error getting secret " + name + " in namespace " + namespace
            + ": secrets \"" + name + "\" not found"));
  }

  /** Records a failure in the content's status and as a Warning event on it. */
  private static Decision failed(VolumeGroupSnapshotContent content, String message) {
    Decision.Builder d = Decision.builder();
    boolean same = Snapshots.hasErrorMessage(content.status().error(), message);
    if (!same) {
      d.update(content.withStatus(content.status().withError(Optional.of(Snapshots.error(message)))
          .withReadyToUse(Optional.of(false))));
    }
    return d.event(EventRecord.warning(NAME + " " + content.spec().driver(), ObjectKey.of(content),
        GroupSnapshots.CREATION_FAILED, message)).build();
  }

  private Decision deleting(ClusterState state, VolumeGroupSnapshotContent content) {
    if (!content.metadata().hasFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION)) {
      return Decision.none();
    }
    ObjectKey key = ObjectKey.of(content);
    EffectId cid = createId(content.metadata().name());
    Optional<Operation> create = state.operation(cid);
    if (create.isPresent() && create.get().inFlight()) {
      return Decision.none(); // OBSERVATION: CreateVolumeGroupSnapshot is running; decide when it answers
    }
    // A group cut while the content was being deleted has its handle only in the create's result:
    // the create is forgotten only when the content is released, so a retried deletion still has it.
    Optional<VolumeGroupSnapshot> made = create.flatMap(o -> o.resultAs(CreateVolumeGroupSnapshotResponse.class))
        .map(CreateVolumeGroupSnapshotResponse::groupSnapshot);
    Decision.Builder released = Decision.builder()
        .update(content.withMetadata(content.metadata().withoutFinalizer(GroupSnapshots.CONTENT_BOUND_PROTECTION)));
    create.ifPresent(o -> released.forget(cid));
    Optional<String> handle = content.status().volumeGroupSnapshotHandle()
        .or(() -> content.spec().source().groupSnapshotHandles().map(h -> h.volumeGroupSnapshotHandle()))
        .or(() -> made.map(VolumeGroupSnapshot::groupSnapshotId));
    if (!Snapshots.DELETE.equals(content.spec().deletionPolicy())) {
      return released.build(); // Retain: the group snapshot stays on the storage
    }
    if (handle.isEmpty()) {
      if (create.isPresent() && create.get().uncertain()) {
        // The driver may have cut it: repeat the same call (same name) to learn the handle.
        return Decision.builder().effect(create.get().effect()).build();
      }
      return released.build();
    }
    EffectId id = deleteId(content.metadata().name());
    Optional<Operation> op = state.operation(id);
    if (op.isPresent() && op.get().inFlight()) {
      return Decision.none();
    }
    if (op.isPresent() && op.get().succeeded()) {
      return released.forget(id).build();
    }
    Decision.Builder d = Decision.builder();
    if (op.isPresent() && op.get().unreportedFailure()) {
      d.acknowledge(id).event(EventRecord.warning(NAME + " " + content.spec().driver(), key,
          GroupSnapshots.DELETE_FAILED, "Failed to delete group snapshot: " + op.get().failure().orElseThrow().text()));
    }
    ImmutableList<String> ids = !content.status().volumeSnapshotHandlePairList().isEmpty()
        ? content.status().volumeSnapshotHandlePairList().stream().map(VolumeSnapshotHandlePair::snapshotHandle)
            .collect(ImmutableList.toImmutableList())
        : content.spec().source().groupSnapshotHandles().map(h -> h.volumeSnapshotHandles())
            .or(() -> made.map(VolumeGroupSnapshot::snapshotIds)).orElse(ImmutableList.of());
    Secrets secrets;
    try {
      secrets = classOf(state, content).map(c -> secrets(state, c)).orElse(Secrets.none());
    } catch (IllegalStateException e) {
      secrets = Secrets.none(); // as for single snapshots: the deletion is tried without a secret that is gone
    }
    return d.effect(new DeleteGroupSnapshot(id, key, NAME, content.spec().driver(),
        new DeleteVolumeGroupSnapshotRequest(handle.get(), ids, secrets))).build();
  }

  @Override
  public String toString() {
    return "CsiGroupSnapshotter" + drivers.keySet();
  }
}

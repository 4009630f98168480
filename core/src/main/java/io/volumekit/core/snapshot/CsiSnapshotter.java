package io.volumekit.core.snapshot;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateSnapshotResponse;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.effect.CreateSnapshot;
import io.volumekit.core.effect.DeleteSnapshot;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.ListSnapshot;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Secret;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotContentStatus;
import io.volumekit.model.snapshot.VolumeSnapshotContentStatusBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The csi-snapshotter sidecar for every driver registered with the engine (external-snapshotter's
 * {@code pkg/sidecar-controller}; docs/cases/snapshots.md): makes the CSI calls for
 * VolumeSnapshotContents of its drivers.
 *
 * <ul>
 *   <li>Dynamic content ({@code source.volumeHandle}) without a snapshot handle: {@code
 *       CreateSnapshot} named {@code snapshot-<VolumeSnapshot uid>} with {@code source_volume_id},
 *       the class's parameters without the reserved {@code csi.storage.k8s.io/} keys and the
 *       snapshotter secret ({@code csi.storage.k8s.io/snapshotter-secret-name/namespace}); the
 *       content carries {@code volumesnapshot-being-created} meanwhile. The call is an {@link
 *       Operation} in the state: never twice at once, retried with backoff, and repeated by name
 *       after an uncertain failure. Its answer fills the content status ({@code snapshotHandle},
 *       {@code creationTime}, {@code restoreSize}, {@code readyToUse}); a failure is reported once
 *       ({@code SnapshotCreationFailed}) and in {@code status.error}. A snapshot answered not ready
 *       ({@code readyToUse: false}, a driver still uploading it) is checked again by repeating
 *       CreateSnapshot with the same name, as the sidecar does, after a delay on the engine's clock
 *       that doubles per check from {@value #FIRST_READY_CHECK_SECONDS}s up to {@value
 *       #MAX_READY_CHECK_SECONDS}s (the sidecar's per-item backoff); the checks are counted in the
 *       {@value #READY_CHECKS} annotation until the snapshot is ready.
 *   <li>Pre-provisioned content ({@code source.snapshotHandle}): {@code ListSnapshots} for that id
 *       fills the status (without LIST_SNAPSHOTS the handle is taken as ready, as the sidecar does);
 *       a snapshot listed not ready is listed again with the same delays.
 *   <li>A deleted content with policy Delete: {@code DeleteSnapshot} (with the deletion secret), then
 *       the {@code volumesnapshotcontent-bound-protection} finalizer is removed; with Retain the
 *       finalizer is removed and the snapshot kept.
 * </ul>
 */
public final class CsiSnapshotter implements Controller {

  /** The controller's name. */
  public static final String NAME = "csi-snapshotter";

  /**
   * Counts the checks of a snapshot that is not ready yet (volumekit's own annotation: the sidecar
   * keeps this count in its work queue's rate limiter); removed once the snapshot is ready.
   */
  public static final String READY_CHECKS = "volumekit.io/snapshot-ready-checks";

  /** The delay before the first re-check of a snapshot that is not ready. */
  public static final long FIRST_READY_CHECK_SECONDS = 1;

  /** The longest delay between two checks of a snapshot that is not ready. */
  public static final long MAX_READY_CHECK_SECONDS = 300;

  private final Map<String, Set<ControllerCapability>> drivers;

  /** A snapshotter for the drivers, with their controller capabilities. */
  public CsiSnapshotter(Map<String, ? extends Set<ControllerCapability>> drivers) {
    Map<String, Set<ControllerCapability>> m = new TreeMap<>();
    drivers.forEach((k, v) -> m.put(k, Set.copyOf(v)));
    this.drivers = Map.copyOf(m);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the CreateSnapshot operation of a content. */
  public static EffectId createId(String content) {
    return EffectId.of("snapshot-create-" + content);
  }

  /** The id of the DeleteSnapshot operation of a content. */
  public static EffectId deleteId(String content) {
    return EffectId.of("snapshot-delete-" + content);
  }

  /** The id of the ListSnapshots operation of a pre-provisioned content. */
  public static EffectId listId(String content) {
    return EffectId.of("snapshot-list-" + content);
  }

  @Override
  public WatchedKinds watches() {
    return WatchedKinds.of(VolumeSnapshotContent.KIND, Secret.KIND, VolumeSnapshotClass.KIND);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case VolumeSnapshotContent.KIND -> enqueue.accept(change.key());
      case Secret.KIND, VolumeSnapshotClass.KIND -> {
        // A snapshotter secret or class may have appeared: retry the contents without a snapshot.
        // Both change rarely; this lists the contents.
        for (VolumeSnapshotContent c : state.list(VolumeSnapshotContent.KIND, VolumeSnapshotContent.class)) {
          if (c.status().snapshotHandle().isEmpty()) {
            enqueue.accept(ObjectKey.of(c));
          }
        }
      }
      default -> {}
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (!key.kind().equals(VolumeSnapshotContent.KIND)) {
      return Decision.none();
    }
    Optional<VolumeSnapshotContent> found = state.get(key, VolumeSnapshotContent.class);
    if (found.isEmpty()) {
      // OBSERVATION: the content is gone; drop what is left of its operations.
      Decision.Builder d = Decision.builder();
      for (EffectId id : new EffectId[] {createId(key.name()), deleteId(key.name()), listId(key.name())}) {
        state.operation(id).filter(op -> !op.inFlight()).ifPresent(op -> d.forget(id));
      }
      return d.build();
    }
    VolumeSnapshotContent content = found.get();
    if (!drivers.containsKey(content.spec().driver())) {
      return Decision.none();
    }
    if (content.metadata().isDeleting()) {
      return deleting(state, content);
    }
    if (content.status().volumeGroupSnapshotHandle().isPresent()) {
      return Decision.none(); // a group member: cut by CreateVolumeGroupSnapshot, its status kept by the group
    }
    if (content.spec().source().volumeHandle().isPresent()) {
      return create(state, content);
    }
    return list(state, content);
  }

  // --- CreateSnapshot --------------------------------------------------------------------------

  private Decision create(ClusterState state, VolumeSnapshotContent content) {
    ObjectKey key = ObjectKey.of(content);
    EffectId id = createId(content.metadata().name());
    Optional<Operation> op = state.operation(id);
    if (op.isEmpty()) {
      if (content.status().snapshotHandle().isPresent() && !awaitsReadiness(content)) {
        return Decision.none(); // OBSERVATION: the snapshot is cut
      }
      if (!drivers.get(content.spec().driver()).contains(ControllerCapability.CREATE_DELETE_SNAPSHOT)) {
        return failed(content, "Failed to create snapshot: CSI driver " + content.spec().driver()
            + " does not support snapshots: controller CREATE_DELETE_SNAPSHOT capability is not reported");
      }
      Optional<CreateSnapshotRequest> request;
      try {
        request = request(state, content);
      } catch (IllegalStateException | SnapshotterSecrets.InvalidSecretParameters e) {
        return failed(content, "Failed to create snapshot: " + e.getMessage());
      }
      if (request.isEmpty()) {
        return Decision.none(); // the VolumeSnapshot's uid is not in the ref yet
      }
      CreateSnapshot effect = new CreateSnapshot(id, key, NAME, content.spec().driver(), request.get());
      if (content.status().snapshotHandle().isPresent()) {
        // Cut but not ready (and no check pending): check again later, by the same name.
        return checkLater(Decision.builder(), effect, content.metadata()).build();
      }
      Decision.Builder d = Decision.builder();
      if (!content.metadata().annotations().containsKey(Snapshots.BEING_CREATED)) {
        d.update(content.withMetadata(content.metadata().withAnnotation(Snapshots.BEING_CREATED, "yes")));
      }
      return d.effect(effect).build();
    }
    Operation o = op.get();
    if (o.inFlight()) {
      return Decision.none();
    }
    if (o.scheduled()) {
      // A readiness check: it starts when due (the requeue makes settle() wait for it).
      return Decision.builder().effect(o.effect()).requeueAfter(readyCheckDelay(checks(content.metadata()))).build();
    }
    if (o.succeeded()) {
      // OBSERVATION: the driver cut the snapshot: record it on the content.
      Snapshot s = o.resultAs(CreateSnapshotResponse.class).orElseThrow().snapshot();
      VolumeSnapshotContentStatus status = statusOf(content.status(), s);
      ObjectMeta meta = afterAnswer(content.metadata().withoutAnnotation(Snapshots.BEING_CREATED), s.readyToUse());
      Decision.Builder d = Decision.builder().update(content.withStatus(status).withMetadata(meta)).forget(id);
      if (!s.readyToUse()) {
        checkLater(d, o.effect(), meta);
      }
      return d.build();
    }
    // OBSERVATION: CreateSnapshot failed: report once, ask again (the runtime waits out the backoff).
    Decision.Builder d = Decision.builder();
    if (o.unreportedFailure()) {
      d = failed(content, "Failed to create snapshot: " + o.failure().orElseThrow().text()).toBuilder().acknowledge(id);
    }
    return d.effect(o.effect()).build();
  }

  /**
   * Schedules a readiness check after the delay for the checks counted in {@code meta}, with a
   * requeue at the same time: a snapshot not ready yet is work left to do, not periodic work.
   */
  private static Decision.Builder checkLater(Decision.Builder d, io.volumekit.core.effect.Effect check, ObjectMeta meta) {
    Duration delay = readyCheckDelay(checks(meta));
    return d.effectAfter(check, delay).requeueAfter(delay);
  }

  /** Whether the content's snapshot is cut but not ready to use, without an error. */
  private static boolean awaitsReadiness(VolumeSnapshotContent content) {
    return content.status().snapshotHandle().isPresent() && !content.status().readyToUse().orElse(false)
        && content.status().error().isEmpty();
  }

  /** The content's metadata after an answer: one more check counted while not ready, none once ready. */
  private static ObjectMeta afterAnswer(ObjectMeta meta, boolean ready) {
    return ready ? meta.withoutAnnotation(READY_CHECKS)
        : meta.withAnnotation(READY_CHECKS, Integer.toString(checks(meta) + 1));
  }

  /** The checks counted on the content (0 without the annotation or with a value that is not a count). */
  static int checks(ObjectMeta meta) {
    try {
      return Math.max(0, Integer.parseInt(meta.annotation(READY_CHECKS).orElse("0")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The delay before the next check after {@code checks} checks: doubling from the first, capped. */
  static Duration readyCheckDelay(int checks) {
    int doublings = Math.max(0, checks - 1);
    long seconds = doublings >= 20 ? MAX_READY_CHECK_SECONDS
        : Math.min(MAX_READY_CHECK_SECONDS, FIRST_READY_CHECK_SECONDS << doublings);
    return Duration.ofSeconds(seconds);
  }

  private static VolumeSnapshotContentStatus statusOf(VolumeSnapshotContentStatus old, Snapshot s) {
    return VolumeSnapshotContentStatusBuilder.builder(old)
        .snapshotHandle(Optional.of(s.snapshotId()))
        .creationTime(s.creationTime().map(Snapshots::toNanos).or(old::creationTime))
        .restoreSize(s.sizeBytes() > 0 ? Optional.of(s.sizeBytes()) : old.restoreSize())
        .readyToUse(Optional.of(s.readyToUse()))
        .error(Optional.empty())
        .build();
  }

  private static Optional<CreateSnapshotRequest> request(ClusterState state, VolumeSnapshotContent content) {
    String uid = content.spec().volumeSnapshotRef().uidOrEmpty();
    if (uid.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> params = new TreeMap<>();
    Secrets secrets = Secrets.none();
    Optional<String> className = content.spec().volumeSnapshotClassName();
    if (className.isPresent()) {
      VolumeSnapshotClass cls = state.get(Snapshots.classKey(className.get()), VolumeSnapshotClass.class)
          .orElseThrow(() -> new IllegalStateException("failed to get snapshot class " + className.get()
              + ": volumesnapshotclasses.snapshot.storage.k8s.io \"" + className.get() + "\" not found"));
      cls.parameters().forEach((k, v) -> {
        if (!k.startsWith(Snapshots.RESERVED_PREFIX)) {
          params.put(k, v);
        }
      });
      Optional<ObjectKey> ref = SnapshotterSecrets.resolve(cls.parameters(), content.metadata().name(),
          content.spec().volumeSnapshotRef().namespaceOrEmpty(), content.spec().volumeSnapshotRef().nameOrEmpty());
      if (ref.isPresent()) {
        secrets = secrets(state, ref.get());
      }
    }
    return Optional.of(new CreateSnapshotRequest(content.spec().source().volumeHandle().orElseThrow(),
        Snapshots.csiName(uid), secrets, ImmutableMap.copyOf(params)));
  }

  private static Secrets secrets(ClusterState state, ObjectKey ref) {
    Secret s = state.get(ref, Secret.class)
        .orElseThrow(() -> new IllegalStateException("error getting secret " + ref.name() + " in namespace "
            + ref.namespace() + ": secrets \"" + ref.name() + "\" not found"));
    return Secrets.fromSecret(s);
  }

  /** Records a failure in the content's status and as a Warning event on it. */
  private static Decision failed(VolumeSnapshotContent content, String message) {
    Decision.Builder d = Decision.builder();
    boolean same = Snapshots.hasErrorMessage(content.status().error(), message);
    if (!same) {
      d.update(content.withStatus(content.status().withError(Optional.of(Snapshots.error(message)))
          .withReadyToUse(Optional.of(false))));
    }
    return d.event(EventRecord.warning(NAME + " " + content.spec().driver(), ObjectKey.of(content),
        Snapshots.SNAPSHOT_CREATION_FAILED, message)).build();
  }

  // --- pre-provisioned: ListSnapshots ------------------------------------------------------------

  private Decision list(ClusterState state, VolumeSnapshotContent content) {
    String handle = content.spec().source().snapshotHandle().orElse("");
    EffectId id = listId(content.metadata().name());
    Optional<Operation> op = state.operation(id);
    if (op.isEmpty()) {
      if (handle.isEmpty() || content.status().snapshotHandle().isPresent() && !awaitsReadiness(content)) {
        return Decision.none();
      }
      if (!drivers.get(content.spec().driver()).contains(ControllerCapability.LIST_SNAPSHOTS)) {
        // As the sidecar: without ListSnapshots, a pre-provisioned handle is taken as ready.
        return Decision.update(content.withStatus(content.status().withSnapshotHandle(Optional.of(handle))
            .withReadyToUse(Optional.of(true))));
      }
      ListSnapshot effect = new ListSnapshot(id, ObjectKey.of(content), NAME, content.spec().driver(), handle, Secrets.none());
      if (content.status().snapshotHandle().isPresent()) {
        return checkLater(Decision.builder(), effect, content.metadata()).build();
      }
      return Decision.builder().effect(effect).build();
    }
    Operation o = op.get();
    if (o.inFlight()) {
      return Decision.none();
    }
    if (o.scheduled()) {
      // A readiness check: it starts when due (the requeue makes settle() wait for it).
      return Decision.builder().effect(o.effect()).requeueAfter(readyCheckDelay(checks(content.metadata()))).build();
    }
    if (o.succeeded()) {
      Optional<Snapshot> s = o.resultAs(ListSnapshotsResponse.class).orElseThrow().entries().stream()
          .filter(e -> e.snapshotId().equals(handle)).findFirst();
      if (s.isEmpty()) {
        return failed(content, "Failed to check and update snapshot content: snapshot " + handle + " does not exist")
            .toBuilder().forget(id).build();
      }
      ObjectMeta meta = afterAnswer(content.metadata(), s.get().readyToUse());
      Decision.Builder d = Decision.builder()
          .update(content.withStatus(statusOf(content.status(), s.get())).withMetadata(meta)).forget(id);
      if (!s.get().readyToUse()) {
        checkLater(d, o.effect(), meta);
      }
      return d.build();
    }
    Decision.Builder d = Decision.builder();
    if (o.unreportedFailure()) {
      d = failed(content, "Failed to check and update snapshot content: " + o.failure().orElseThrow().text())
          .toBuilder().acknowledge(id);
    }
    return d.effect(o.effect()).build();
  }

  // --- deletion: DeleteSnapshot ------------------------------------------------------------------

  private Decision deleting(ClusterState state, VolumeSnapshotContent content) {
    if (!content.metadata().hasFinalizer(Snapshots.CONTENT_BOUND_PROTECTION)) {
      return Decision.none();
    }
    ObjectKey key = ObjectKey.of(content);
    EffectId cid = createId(content.metadata().name());
    Optional<Operation> create = state.operation(cid);
    if (create.isPresent() && create.get().inFlight()) {
      return Decision.none(); // OBSERVATION: CreateSnapshot is running; decide when it answers
    }
    Optional<String> handle = Snapshots.handle(content)
        .or(() -> create.flatMap(o -> o.resultAs(CreateSnapshotResponse.class)).map(r -> r.snapshot().snapshotId()));
    // The create is forgotten only when the content is released: a snapshot cut while the content
    // was being deleted has its handle only in the create's result, which a retried deletion needs.
    Decision.Builder released = Decision.builder()
        .update(content.withMetadata(content.metadata().withoutFinalizer(Snapshots.CONTENT_BOUND_PROTECTION)));
    create.ifPresent(o -> released.forget(cid));
    if (!Snapshots.DELETE.equals(content.spec().deletionPolicy())) {
      return released.build(); // Retain: the physical snapshot stays.
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
      return released.forget(id).build(); // OBSERVATION: the snapshot is deleted: let the content go.
    }
    Decision.Builder d = Decision.builder();
    if (op.isPresent() && op.get().unreportedFailure()) {
      d.acknowledge(id).event(EventRecord.warning(NAME + " " + content.spec().driver(), key,
          Snapshots.SNAPSHOT_DELETE_FAILED, "Failed to delete snapshot: " + op.get().failure().orElseThrow().text()));
    }
    Secrets secrets = Secrets.none();
    Optional<ObjectKey> deletionSecret = SnapshotterSecrets.deletionSecret(content);
    if (deletionSecret.isPresent()) {
      // A deletion secret that is gone is not an error: DeleteSnapshot is tried without it (the
      // secret protection keeps it while a Delete content names it, so only a forced removal gets here).
      secrets = state.get(deletionSecret.get(), Secret.class).map(Secrets::fromSecret).orElse(Secrets.none());
    }
    return d.effect(new DeleteSnapshot(id, key, NAME, content.spec().driver(),
        new DeleteSnapshotRequest(handle.get(), secrets))).build();
  }

  @Override
  public String toString() {
    return "CsiSnapshotter" + drivers.keySet();
  }
}

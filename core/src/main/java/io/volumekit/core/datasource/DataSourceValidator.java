package io.volumekit.core.datasource;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.populator.SourceKind;
import io.volumekit.model.populator.VolumePopulator;
import io.volumekit.model.snapshot.VolumeSnapshot;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The volume data source validator's populator controller: a claim whose {@code dataSourceRef}
 * names a group/kind that is neither PersistentVolumeClaim (core group) nor VolumeSnapshot
 * (snapshot.storage.k8s.io) nor the {@code sourceKind} of a {@link VolumePopulator} gets a Warning
 * {@code UnrecognizedDataSourceKind} "The datasource for this PVC does not match any registered
 * VolumePopulator". It only warns: the claim is not changed, and the provisioner still leaves it to
 * an external populator.
 *
 * <p>A claim is validated when it is created and whenever its {@code dataSourceRef} changes (the
 * validator in Kubernetes also repeats the check on its periodic resync; volumekit has none, see
 * docs/kubernetes-differences.md row 4). Registering a populator later does not withdraw an event
 * already recorded, as in Kubernetes.
 */
public final class DataSourceValidator implements Controller {

  /** The controller name, also the event source as the validator reports it. */
  public static final String NAME = "volume-data-source-validator";
  /** Event reason: the claim's data source kind is not registered by any VolumePopulator. */
  public static final String UNRECOGNIZED_DATA_SOURCE_KIND = "UnrecognizedDataSourceKind";
  /** The validator's message, verbatim. */
  public static final String UNRECOGNIZED_MESSAGE =
      "The datasource for this PVC does not match any registered VolumePopulator";

  private static final SourceKind PVC = new SourceKind("", PersistentVolumeClaim.KIND);
  private static final SourceKind SNAPSHOT = new SourceKind("snapshot.storage.k8s.io", VolumeSnapshot.KIND);

  @Override
  public String name() {
    return NAME;
  }

  /** The claim has a dataSourceRef it did not have before: the watch's test. */
  private static final ChangeFact NEW_DATA_SOURCE_REF = ChangeFact.of("new claim dataSourceRef",
      f -> f.change().afterAs(PersistentVolumeClaim.class).flatMap(c -> c.spec().dataSourceRef()).isPresent()
          && f.holds(ChangeFact.CLAIM_DATA_SOURCE_REF));

  @Override
  public WatchedKinds watches() {
    // A claim as it is now (a deleted one has nothing to validate), when its dataSourceRef changed.
    return WatchedKinds.of(PersistentVolumeClaim.KIND).only(PersistentVolumeClaim.KIND, Change.Type.ADDED,
        Change.Type.MODIFIED).when(PersistentVolumeClaim.KIND, NEW_DATA_SOURCE_REF);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    // Most claims have no dataSourceRef: one look, nothing allocated.
    if (!(change.after().orElse(null) instanceof PersistentVolumeClaim c) || c.spec().dataSourceRef().isEmpty()) {
      return;
    }
    Optional<TypedObjectReference> before =
        change.beforeAs(PersistentVolumeClaim.class).flatMap(b -> b.spec().dataSourceRef());
    if (!c.spec().dataSourceRef().equals(before)) {
      enqueue.accept(change.key());
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<TypedObjectReference> ref =
        state.get(key, PersistentVolumeClaim.class).flatMap(c -> c.spec().dataSourceRef());
    if (ref.isEmpty() || isRegistered(state, groupKind(ref.get()))) {
      return Decision.none();
    }
    return Decision.event(EventRecord.warning(NAME, key, UNRECOGNIZED_DATA_SOURCE_KIND, UNRECOGNIZED_MESSAGE));
  }

  /** The group/kind a data source reference names (no apiGroup: the core group). */
  public static SourceKind groupKind(TypedObjectReference ref) {
    return new SourceKind(ref.apiGroup().orElse(""), ref.kind());
  }

  /**
   * Whether a data source of this group/kind is filled by someone: a claim (clone) or snapshot
   * (restore), as the core allows, or a kind a VolumePopulator registers.
   */
  public static boolean isRegistered(ClusterState state, SourceKind kind) {
    if (kind.equals(PVC) || kind.equals(SNAPSHOT)) {
      return true;
    }
    return state.list(VolumePopulator.KIND, VolumePopulator.class).stream()
        .anyMatch(p -> p.sourceKind().equals(kind));
  }
}

package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePSet;

/**
 * The VolumeGroupSnapshots still waiting for a content: those without {@code
 * status.boundVolumeGroupSnapshotContentName}.
 *
 * <p>The group snapshot controller re-syncs them whenever a claim of their namespace changes (a
 * dynamic group snapshot waits for every claim its selector matches to be Bound) or a group
 * snapshot class does. Claims change far more often than group snapshots exist: with this index a
 * claim change with no waiting group snapshot costs an emptiness check instead of a listing of
 * the group snapshots among all objects. A persistent sorted set, so an update is O(log n) and
 * shares structure with the previous state; keys are in key order (namespace, then name), the
 * order of a listing.
 */
public final class GroupSnapshotIndex implements ObjectIndex {

  private static final GroupSnapshotIndex EMPTY = new GroupSnapshotIndex(TreePSet.empty());

  private final TreePSet<ObjectKey> unbound;

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(VolumeGroupSnapshot.KIND));

  private GroupSnapshotIndex(TreePSet<ObjectKey> unbound) {
    this.unbound = unbound;
  }

  /** The empty index. */
  public static GroupSnapshotIndex empty() {
    return EMPTY;
  }

  /** Keys of every group snapshot without a bound content, in key order. */
  public Set<ObjectKey> unbound() {
    return unbound;
  }

  /** Keys of the group snapshots of the namespace without a bound content, in key order. */
  public Set<ObjectKey> unbound(String namespace) {
    if (unbound.isEmpty()) {
      return Set.of();
    }
    return unbound.subSet(ObjectKey.first(VolumeGroupSnapshot.KIND, namespace), true,
        ObjectKey.first(VolumeGroupSnapshot.KIND, namespace + '\0'), false);
  }

  private static boolean waiting(Optional<?> object) {
    return object.orElse(null) instanceof VolumeGroupSnapshot g
        && g.status().boundVolumeGroupSnapshotContentName().isEmpty();
  }

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(VolumeGroupSnapshot.KIND)) {
      return this;
    }
    boolean before = waiting(change.before());
    boolean after = waiting(change.after());
    if (before == after) {
      return this;
    }
    return new GroupSnapshotIndex(after ? unbound.plus(change.key()) : unbound.minus(change.key()));
  }
}

package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.snapshot.VolumeSnapshot;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Objects that wait on another object as their data: claims by the snapshot or claim their {@code
 * dataSource} / {@code dataSourceRef} names, and VolumeSnapshots by the claim they are taken of.
 *
 * <p>When a snapshot becomes ready or a source claim becomes Bound, the provisioner and the
 * snapshot controller re-sync exactly the dependents instead of scanning every claim or snapshot of
 * the namespace on every change (which would make binding n claims O(n^2)). Persistent maps, so an
 * update is O(log n) and shares structure with the previous state.
 */
public final class DataSourceIndex implements ObjectIndex {

  private static final DataSourceIndex EMPTY = new DataSourceIndex(TreePMap.empty());

  private final TreePMap<ObjectKey, TreePSet<ObjectKey>> dependents;

  private DataSourceIndex(TreePMap<ObjectKey, TreePSet<ObjectKey>> dependents) {
    this.dependents = dependents;
  }

  /** The empty index. */
  public static DataSourceIndex empty() {
    return EMPTY;
  }

  /** Keys of the claims and snapshots whose data source is the object with the key, in key order. */
  public Set<ObjectKey> dependents(ObjectKey source) {
    TreePSet<ObjectKey> s = dependents.get(source);
    return s == null ? Set.of() : s;
  }

  /** The object a claim or snapshot takes its data from (a claim's dataSource wins over its dataSourceRef). */
  static Optional<ObjectKey> sourceOf(Change change, boolean after) {
    Optional<?> o = after ? change.after() : change.before();
    if (o.isEmpty()) {
      return Optional.empty();
    }
    if (o.get() instanceof PersistentVolumeClaim c) {
      String ns = c.metadata().namespaceOrEmpty();
      if (c.spec().dataSource().isPresent()) {
        var d = c.spec().dataSource().get();
        return Optional.of(ObjectKey.namespaced(d.kind(), ns, d.name()));
      }
      return c.spec().dataSourceRef()
          .map(d -> ObjectKey.namespaced(d.kind(), d.namespace().filter(n -> !n.isEmpty()).orElse(ns), d.name()));
    }
    if (o.get() instanceof VolumeSnapshot s) {
      return s.spec().source().persistentVolumeClaimName()
          .map(n -> ObjectKey.namespaced(PersistentVolumeClaim.KIND, s.metadata().namespaceOrEmpty(), n));
    }
    return Optional.empty();
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(PersistentVolumeClaim.KIND, VolumeSnapshot.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(PersistentVolumeClaim.KIND) && !change.kind().equals(VolumeSnapshot.KIND)) {
      return this;
    }
    if (Unchanged.part(change, PersistentVolumeClaim.class, PersistentVolumeClaim::spec)
        || Unchanged.part(change, VolumeSnapshot.class, VolumeSnapshot::spec)) {
      return this; // the sources are read from the spec (and the key's namespace) only
    }
    Optional<ObjectKey> b = sourceOf(change, false);
    Optional<ObjectKey> a = sourceOf(change, true);
    if (a.equals(b)) {
      return this;
    }
    TreePMap<ObjectKey, TreePSet<ObjectKey>> m = dependents;
    if (b.isPresent()) {
      TreePSet<ObjectKey> s = m.get(b.get());
      if (s != null) {
        s = s.minus(change.key());
        m = s.isEmpty() ? m.minus(b.get()) : m.plus(b.get(), s);
      }
    }
    if (a.isPresent()) {
      m = m.plus(a.get(), m.getOrDefault(a.get(), TreePSet.empty()).plus(change.key()));
    }
    return new DataSourceIndex(m);
  }
}

package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.OwnerReference;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Dependents by owner uid: which objects name a given uid in {@code metadata.ownerReferences}.
 *
 * <p>The garbage collector's graph (Kubernetes' {@code garbagecollector} dependency graph, reduced
 * to the owner-to-dependents edges): when an owner goes away, its dependents are found here in
 * O(log n). Objects without owner references cost nothing.
 */
public final class OwnerIndex implements ObjectIndex {

  private static final OwnerIndex EMPTY = new OwnerIndex(TreePMap.empty());

  private final TreePMap<String, TreePSet<ObjectKey>> dependents;

  private OwnerIndex(TreePMap<String, TreePSet<ObjectKey>> dependents) {
    this.dependents = dependents;
  }

  /** The empty index. */
  public static OwnerIndex empty() {
    return EMPTY;
  }

  /** Keys of the objects that list the uid as an owner, in key order. */
  public Set<ObjectKey> dependentsOf(String ownerUid) {
    TreePSet<ObjectKey> s = dependents.get(ownerUid);
    return s == null ? Set.of() : s;
  }

  @Override
  public ObjectIndex apply(Change change) {
    var before = owners(change.before());
    var after = owners(change.after());
    if (before.equals(after)) {
      return this; // no owners, or an update keeping them (usually the very same list)
    }
    TreePMap<String, TreePSet<ObjectKey>> d = dependents;
    for (OwnerReference r : before) {
      TreePSet<ObjectKey> s = d.get(r.uid());
      if (s != null) {
        s = s.minus(change.key());
        d = s.isEmpty() ? d.minus(r.uid()) : d.plus(r.uid(), s);
      }
    }
    for (OwnerReference r : after) {
      TreePSet<ObjectKey> s = d.getOrDefault(r.uid(), TreePSet.empty());
      d = d.plus(r.uid(), s.plus(change.key()));
    }
    return new OwnerIndex(d);
  }

  private static java.util.List<OwnerReference> owners(Optional<ApiObject> o) {
    return o.isEmpty() ? java.util.List.of() : o.get().metadata().ownerReferences();
  }
}

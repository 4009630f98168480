package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Claims that have not finished binding (no {@code pv.kubernetes.io/bind-completed}), by their
 * storage class ({@code ""} for none).
 *
 * <p>When a volume becomes available or a class appears, the binder and the provisioner re-sync
 * exactly these claims instead of every claim (Kubernetes relies on a periodic full resync).
 */
public final class ClaimIndex implements ObjectIndex {

  private static final ClaimIndex EMPTY = new ClaimIndex(TreePMap.empty());

  private final TreePMap<String, TreePSet<ObjectKey>> unboundByClass;

  private ClaimIndex(TreePMap<String, TreePSet<ObjectKey>> unboundByClass) {
    this.unboundByClass = unboundByClass;
  }

  /** The empty index. */
  public static ClaimIndex empty() {
    return EMPTY;
  }

  /** Keys of the unbound claims of the class, in key order. */
  public Set<ObjectKey> unboundClaims(String storageClass) {
    TreePSet<ObjectKey> s = unboundByClass.get(storageClass);
    return s == null ? Set.of() : s;
  }

  private static Optional<String> classIfUnbound(PersistentVolumeClaim c) {
    if (c.metadata().annotations().containsKey(Annotations.BIND_COMPLETED)) {
      return Optional.empty();
    }
    return Optional.of(Volumes.storageClass(c));
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(PersistentVolumeClaim.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(PersistentVolumeClaim.KIND)
        || Unchanged.part(change, PersistentVolumeClaim.class, PersistentVolumeClaim::spec)
            && Unchanged.part(change, PersistentVolumeClaim.class, c -> c.metadata().annotations())) {
      return this; // the class and the bind-completed annotation are all it reads
    }
    Optional<String> b = change.beforeAs(PersistentVolumeClaim.class).flatMap(ClaimIndex::classIfUnbound);
    Optional<String> a = change.afterAs(PersistentVolumeClaim.class).flatMap(ClaimIndex::classIfUnbound);
    if (a.equals(b)) {
      return this;
    }
    TreePMap<String, TreePSet<ObjectKey>> m = unboundByClass;
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
    return new ClaimIndex(m);
  }
}

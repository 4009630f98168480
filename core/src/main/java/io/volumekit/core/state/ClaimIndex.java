package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;

/**
 * Claims that have not finished binding (no {@code pv.kubernetes.io/bind-completed}), by their
 * storage class ({@code ""} for none).
 *
 * <p>When a volume becomes available or a class appears, the binder and the provisioner re-sync
 * exactly these claims instead of every claim (Kubernetes relies on a periodic full resync).
 */
public final class ClaimIndex implements ObjectIndex {

  private static final ClaimIndex EMPTY = new ClaimIndex(TreePMap.empty());

  /**
   * Claim keys by class, in key order (a sweep queues them in that order). A class may hold every
   * claim and each bind removes one, so a wide persistent B+-tree ({@link WideSortedSet}) rather
   * than a binary tree of about 17 levels of separate nodes.
   */
  private final TreePMap<String, WideSortedSet<ObjectKey>> unboundByClass;

  private ClaimIndex(TreePMap<String, WideSortedSet<ObjectKey>> unboundByClass) {
    this.unboundByClass = unboundByClass;
  }

  /** The empty index. */
  public static ClaimIndex empty() {
    return EMPTY;
  }

  /**
   * The map with the key moved from the set of {@code from} to that of {@code to} (either {@code
   * null} for none), an emptied set dropped. Shared with {@link AttributesClassIndex}.
   */
  static TreePMap<String, WideSortedSet<ObjectKey>> moved(
      TreePMap<String, WideSortedSet<ObjectKey>> m, ObjectKey key, String from, String to) {
    if (from != null) {
      WideSortedSet<ObjectKey> s = m.get(from);
      if (s != null) {
        s = s.minus(key);
        m = s.isEmpty() ? m.minus(from) : m.plus(from, s);
      }
    }
    if (to != null) {
      WideSortedSet<ObjectKey> s = m.get(to);
      m = m.plus(to, (s == null ? WideSortedSet.<ObjectKey>empty() : s).plus(key));
    }
    return m;
  }

  /** Keys of the unbound claims of the class, in key order. */
  public Set<ObjectKey> unboundClaims(String storageClass) {
    WideSortedSet<ObjectKey> s = unboundByClass.get(storageClass);
    return s == null ? Set.of() : s;
  }

  /** The claim's class if it is a claim that has not finished binding, else {@code null}. */
  private static String classIfUnbound(Optional<ApiObject> object) {
    ApiObject o = object.orElse(null);
    if (!(o instanceof PersistentVolumeClaim c) || c.metadata().annotations().containsKey(Annotations.BIND_COMPLETED)) {
      return null;
    }
    return Volumes.storageClass(c);
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
    String b = classIfUnbound(change.before());
    String a = classIfUnbound(change.after());
    if (Objects.equals(a, b)) {
      return this;
    }
    return new ClaimIndex(moved(unboundByClass, change.key(), b, a));
  }
}

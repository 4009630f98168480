package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;

/**
 * Claims by the VolumeAttributesClass their {@code spec.volumeAttributesClassName} names.
 *
 * <p>When a VolumeAttributesClass is created, the provisioner and the modify controller re-sync
 * exactly the claims that wait for it (a claim to provision, a modification left Pending) instead
 * of scanning every claim; Kubernetes' external-resizer relies on a periodic resync for this.
 * Persistent maps and sets ({@link WideSortedSet}), so an update is O(log n) and shares structure
 * with the previous state.
 */
public final class AttributesClassIndex implements ObjectIndex {

  private static final AttributesClassIndex EMPTY = new AttributesClassIndex(TreePMap.empty());

  private final TreePMap<String, WideSortedSet<ObjectKey>> claimsByClass;

  private AttributesClassIndex(TreePMap<String, WideSortedSet<ObjectKey>> claimsByClass) {
    this.claimsByClass = claimsByClass;
  }

  /** The empty index. */
  public static AttributesClassIndex empty() {
    return EMPTY;
  }

  /** Keys of the claims whose spec names the VolumeAttributesClass, in key order. */
  public Set<ObjectKey> claims(String volumeAttributesClassName) {
    WideSortedSet<ObjectKey> s = claimsByClass.get(volumeAttributesClassName);
    return s == null ? Set.of() : s;
  }

  /** The attributes class the object names if it is a claim that names one (not {@code ""}), else {@code null}. */
  private static String classOf(Optional<?> object) {
    String n = object.orElse(null) instanceof PersistentVolumeClaim c
        ? c.spec().volumeAttributesClassName().orElse(null) : null;
    return n == null || n.isEmpty() ? null : n;
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(PersistentVolumeClaim.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(PersistentVolumeClaim.KIND)
        || Unchanged.part(change, PersistentVolumeClaim.class, PersistentVolumeClaim::spec)) {
      return this;
    }
    String b = classOf(change.before());
    String a = classOf(change.after());
    if (Objects.equals(a, b)) {
      return this;
    }
    return new AttributesClassIndex(ClaimIndex.moved(claimsByClass, change.key(), b, a));
  }
}

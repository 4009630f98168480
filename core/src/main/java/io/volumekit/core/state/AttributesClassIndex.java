package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Claims by the VolumeAttributesClass their {@code spec.volumeAttributesClassName} names.
 *
 * <p>When a VolumeAttributesClass is created, the provisioner and the modify controller re-sync
 * exactly the claims that wait for it (a claim to provision, a modification left Pending) instead
 * of scanning every claim; Kubernetes' external-resizer relies on a periodic resync for this.
 * Persistent maps, so an update is O(log n) and shares structure with the previous state.
 */
public final class AttributesClassIndex implements ObjectIndex {

  private static final AttributesClassIndex EMPTY = new AttributesClassIndex(TreePMap.empty());

  private final TreePMap<String, TreePSet<ObjectKey>> claimsByClass;

  private AttributesClassIndex(TreePMap<String, TreePSet<ObjectKey>> claimsByClass) {
    this.claimsByClass = claimsByClass;
  }

  /** The empty index. */
  public static AttributesClassIndex empty() {
    return EMPTY;
  }

  /** Keys of the claims whose spec names the VolumeAttributesClass, in key order. */
  public Set<ObjectKey> claims(String volumeAttributesClassName) {
    TreePSet<ObjectKey> s = claimsByClass.get(volumeAttributesClassName);
    return s == null ? Set.of() : s;
  }

  private static Optional<String> classOf(Optional<?> object) {
    return object.filter(PersistentVolumeClaim.class::isInstance).map(PersistentVolumeClaim.class::cast)
        .flatMap(c -> c.spec().volumeAttributesClassName()).filter(n -> !n.isEmpty());
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
    Optional<String> b = classOf(change.before());
    Optional<String> a = classOf(change.after());
    if (a.equals(b)) {
      return this;
    }
    TreePMap<String, TreePSet<ObjectKey>> m = claimsByClass;
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
    return new AttributesClassIndex(m);
  }
}

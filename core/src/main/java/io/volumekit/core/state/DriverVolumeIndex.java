package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * CSI PersistentVolumes by driver name ({@code spec.csi.driver}).
 *
 * <p>When a CSIDriver object appears, changes or goes (e.g. {@code attachRequired} flips), the
 * attach/detach controller must re-examine exactly that driver's volumes, as Kubernetes' CSI
 * plugin re-reads the CSIDriver for each of them. This index exists so that such a change costs
 * O(log n + that driver's volumes) rather than a listing of every PV.
 */
public final class DriverVolumeIndex implements ObjectIndex {

  private static final DriverVolumeIndex EMPTY = new DriverVolumeIndex(TreePMap.empty());

  private final TreePMap<String, TreePSet<ObjectKey>> byDriver;

  private DriverVolumeIndex(TreePMap<String, TreePSet<ObjectKey>> byDriver) {
    this.byDriver = byDriver;
  }

  /** The empty index. */
  public static DriverVolumeIndex empty() {
    return EMPTY;
  }

  /** Keys of the CSI PVs of the driver, in key (name) order. */
  public Set<ObjectKey> volumesOf(String driver) {
    TreePSet<ObjectKey> s = byDriver.get(driver);
    return s == null ? Set.of() : s;
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(PersistentVolume.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(PersistentVolume.KIND)
        || Unchanged.part(change, PersistentVolume.class, pv -> pv.spec().csi())) {
      return this; // the driver is read from the CSI source only (a bind copies the spec, not its source)
    }
    Optional<String> b = change.beforeAs(PersistentVolume.class).flatMap(PersistentVolume::csi).map(c -> c.driver());
    Optional<String> a = change.afterAs(PersistentVolume.class).flatMap(PersistentVolume::csi).map(c -> c.driver());
    if (b.equals(a)) {
      return this;
    }
    TreePMap<String, TreePSet<ObjectKey>> m = byDriver;
    ObjectKey key = change.key();
    if (b.isPresent()) {
      TreePSet<ObjectKey> s = Optional.ofNullable(m.get(b.get())).orElse(TreePSet.empty()).minus(key);
      m = s.isEmpty() ? m.minus(b.get()) : m.plus(b.get(), s);
    }
    if (a.isPresent()) {
      m = m.plus(a.get(), m.getOrDefault(a.get(), TreePSet.empty()).plus(key));
    }
    return new DriverVolumeIndex(m);
  }
}

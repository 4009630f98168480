package io.volumekit.core.state;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * PersistentVolumes and VolumeSnapshotContents by the Secrets they name. A PV names the five {@code spec.csi.*SecretRef}s
 * (controller-publish, node-stage, node-publish, controller-expand, node-expand) and the
 * provisioner's deletion secret ({@code volume.kubernetes.io/provisioner-deletion-secret-name} and
 * {@code -namespace} annotations), which DeleteVolume reads; a content its snapshotter deletion
 * secret while DeleteSnapshot or CreateSnapshot may still read it ({@link SnapshotterSecrets#neededBy}).
 *
 * <p>These are exactly the secrets the engine fetches for a PV's and a content's operations. The
 * index lets the secret protection find the objects using a Secret in O(log n + those objects)
 * instead of scanning every PV and content, and is updated in O(log n) per change of either.
 *
 * <p>It also keeps the Secrets being deleted (a deletion timestamp set, the protection's
 * finalizer still holding them): usually none, which lets the secret protection ignore every
 * change of the objects that might use a Secret without looking at them.
 */
public final class VolumeSecretIndex implements ObjectIndex {

  private static final VolumeSecretIndex EMPTY = new VolumeSecretIndex(TreePMap.empty(), TreePSet.empty());

  private final TreePMap<ObjectKey, TreePSet<ObjectKey>> volumesBySecret;
  private final TreePSet<ObjectKey> deletingSecrets;

  private VolumeSecretIndex(TreePMap<ObjectKey, TreePSet<ObjectKey>> volumesBySecret,
      TreePSet<ObjectKey> deletingSecrets) {
    this.volumesBySecret = volumesBySecret;
    this.deletingSecrets = deletingSecrets;
  }

  /** Whether some Secret is being deleted (has a deletion timestamp and still exists). O(1). */
  public boolean anySecretDeleting() {
    return !deletingSecrets.isEmpty();
  }

  /** The empty index. */
  public static VolumeSecretIndex empty() {
    return EMPTY;
  }

  /** Keys of the PVs naming the Secret, in key order. */
  public Set<ObjectKey> volumesUsing(ObjectKey secret) {
    return using(secret, PersistentVolume.KIND);
  }

  /**
   * Keys of the VolumeSnapshotContents that still need the Secret
   * ({@link SnapshotterSecrets#neededBy}: their deletion secret while their policy is Delete or their
   * CSI snapshot is not cut yet), in key order.
   */
  public Set<ObjectKey> contentsUsing(ObjectKey secret) {
    return using(secret, VolumeSnapshotContent.KIND);
  }

  private Set<ObjectKey> using(ObjectKey secret, String kind) {
    TreePSet<ObjectKey> s = volumesBySecret.get(secret);
    if (s == null) {
      return Set.of();
    }
    Set<ObjectKey> out = new LinkedHashSet<>();
    for (ObjectKey k : s) {
      if (k.kind().equals(kind)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * The Secret keys the PV names. A reference without a namespace is keyed in the empty namespace,
   * as the engine looks it up (and never finds it).
   */
  public static Set<ObjectKey> secretsOf(PersistentVolume pv) {
    String name = pv.metadata().annotation(Annotations.DELETION_SECRET_NAME).orElse("");
    String ns = pv.metadata().annotation(Annotations.DELETION_SECRET_NAMESPACE).orElse("");
    Optional<CSIPersistentVolumeSource> csi = pv.csi();
    if (name.isEmpty() && ns.isEmpty() && csi.map(VolumeSecretIndex::noSecretRef).orElse(true)) {
      return Set.of(); // the common case, without allocating
    }
    Set<ObjectKey> out = new LinkedHashSet<>();
    if (!name.isEmpty() || !ns.isEmpty()) {
      out.add(ObjectKey.namespaced(Secret.KIND, ns, name));
    }
    if (csi.isPresent()) {
      CSIPersistentVolumeSource c = csi.get();
      add(out, c.controllerPublishSecretRef());
      add(out, c.nodeStageSecretRef());
      add(out, c.nodePublishSecretRef());
      add(out, c.controllerExpandSecretRef());
      add(out, c.nodeExpandSecretRef());
    }
    return out;
  }

  /**
   * Whether a PV update keeps both deletion-secret annotations (the binder adds another
   * annotation on every bind): two look-ups in each map, where {@link #secretsOf} of both sides
   * would also read the CSI source.
   */
  private static boolean sameDeletionSecret(Change change) {
    return change.before().orElse(null) instanceof PersistentVolume b
        && change.after().orElse(null) instanceof PersistentVolume a
        && Objects.equals(b.metadata().annotations().get(Annotations.DELETION_SECRET_NAME),
            a.metadata().annotations().get(Annotations.DELETION_SECRET_NAME))
        && Objects.equals(b.metadata().annotations().get(Annotations.DELETION_SECRET_NAMESPACE),
            a.metadata().annotations().get(Annotations.DELETION_SECRET_NAMESPACE));
  }

  private static boolean noSecretRef(CSIPersistentVolumeSource c) {
    return c.controllerPublishSecretRef().isEmpty() && c.nodeStageSecretRef().isEmpty()
        && c.nodePublishSecretRef().isEmpty() && c.controllerExpandSecretRef().isEmpty()
        && c.nodeExpandSecretRef().isEmpty();
  }

  private static void add(Set<ObjectKey> out, Optional<SecretReference> ref) {
    ref.ifPresent(r -> out.add(ObjectKey.namespaced(Secret.KIND, r.namespace().orElse(""), r.name())));
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(Secret.KIND, PersistentVolume.KIND, VolumeSnapshotContent.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (change.kind().equals(Secret.KIND)) {
      boolean deleting = change.after().filter(o -> o.metadata().isDeleting()).isPresent();
      if (deleting == deletingSecrets.contains(change.key())) {
        return this;
      }
      return new VolumeSecretIndex(volumesBySecret,
          deleting ? deletingSecrets.plus(change.key()) : deletingSecrets.minus(change.key()));
    }
    if (Unchanged.part(change, PersistentVolume.class, pv -> pv.spec().csi())
        && (Unchanged.part(change, PersistentVolume.class, pv -> pv.metadata().annotations())
            || sameDeletionSecret(change))) {
      return this; // secretsOf reads the spec's CSI source and two annotations only
    }
    Set<ObjectKey> b;
    Set<ObjectKey> a;
    if (change.kind().equals(PersistentVolume.KIND)) {
      b = change.beforeAs(PersistentVolume.class).map(VolumeSecretIndex::secretsOf).orElse(Set.of());
      a = change.afterAs(PersistentVolume.class).map(VolumeSecretIndex::secretsOf).orElse(Set.of());
    } else if (change.kind().equals(VolumeSnapshotContent.KIND)) {
      b = change.beforeAs(VolumeSnapshotContent.class).flatMap(SnapshotterSecrets::neededBy).map(Set::of).orElse(Set.of());
      a = change.afterAs(VolumeSnapshotContent.class).flatMap(SnapshotterSecrets::neededBy).map(Set::of).orElse(Set.of());
    } else {
      return this;
    }
    if (a.equals(b)) {
      return this;
    }
    TreePMap<ObjectKey, TreePSet<ObjectKey>> m = volumesBySecret;
    for (ObjectKey s : b) {
      if (!a.contains(s)) {
        TreePSet<ObjectKey> set = Optional.ofNullable(m.get(s)).orElse(TreePSet.empty()).minus(change.key());
        m = set.isEmpty() ? m.minus(s) : m.plus(s, set);
      }
    }
    for (ObjectKey s : a) {
      m = m.plus(s, m.getOrDefault(s, TreePSet.empty()).plus(change.key()));
    }
    return new VolumeSecretIndex(m, deletingSecrets);
  }
}

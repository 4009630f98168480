package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.Volume;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Pods by the Secrets and ConfigMaps their volumes project: {@code secret} and {@code configMap}
 * volumes, the secret and configMap sources of {@code projected} volumes, and the {@code
 * nodePublishSecretRef} of inline CSI volumes (all in the pod's namespace).
 *
 * <p>The kubelet's secret and configMap managers, which know the pods registered for each object
 * ({@code pkg/kubelet/util/manager}). It exists so that a Secret or ConfigMap change re-examines
 * only the pods that use it, in O(log n + those pods), rather than every pod of the namespace.
 */
public final class PodSourceIndex implements ObjectIndex {

  private static final PodSourceIndex EMPTY = new PodSourceIndex(TreePMap.empty());

  private final TreePMap<ObjectKey, TreePSet<ObjectKey>> podsBySource;

  private PodSourceIndex(TreePMap<ObjectKey, TreePSet<ObjectKey>> podsBySource) {
    this.podsBySource = podsBySource;
  }

  /** The empty index. */
  public static PodSourceIndex empty() {
    return EMPTY;
  }

  /** Keys of the pods whose volumes project the Secret or ConfigMap, in key order. */
  public Set<ObjectKey> podsUsing(ObjectKey source) {
    TreePSet<ObjectKey> s = podsBySource.get(source);
    return s == null ? Set.of() : s;
  }

  /** The Secret and ConfigMap keys the pod's volumes project, in the order of its volumes. */
  public static Set<ObjectKey> sourcesOf(Pod pod) {
    if (!mayProject(pod)) {
      return Set.of(); // the common case (claims only), without allocating
    }
    Set<ObjectKey> out = new LinkedHashSet<>();
    String ns = pod.metadata().namespaceOrEmpty();
    for (Volume v : pod.spec().volumes()) {
      v.secret().flatMap(s -> s.secretName()).ifPresent(n -> out.add(ObjectKey.namespaced(Secret.KIND, ns, n)));
      v.configMap().flatMap(c -> c.name()).ifPresent(n -> out.add(ObjectKey.namespaced(ConfigMap.KIND, ns, n)));
      if (v.projected().isPresent()) {
        for (var s : v.projected().get().sources()) {
          s.secret().flatMap(x -> x.name()).ifPresent(n -> out.add(ObjectKey.namespaced(Secret.KIND, ns, n)));
          s.configMap().flatMap(x -> x.name()).ifPresent(n -> out.add(ObjectKey.namespaced(ConfigMap.KIND, ns, n)));
        }
      }
      v.csi().flatMap(c -> c.nodePublishSecretRef())
          .ifPresent(r -> out.add(ObjectKey.namespaced(Secret.KIND, ns, r.name())));
    }
    return out;
  }

  /** Whether some volume of the pod is of a kind {@link #sourcesOf} reads. */
  private static boolean mayProject(Pod pod) {
    for (Volume v : pod.spec().volumes()) {
      if (v.secret().isPresent() || v.configMap().isPresent() || v.projected().isPresent() || v.csi().isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(Pod.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(Pod.KIND) || Unchanged.part(change, Pod.class, p -> p.spec().volumes())) {
      return this;
    }
    Set<ObjectKey> b = change.beforeAs(Pod.class).map(PodSourceIndex::sourcesOf).orElse(Set.of());
    Set<ObjectKey> a = change.afterAs(Pod.class).map(PodSourceIndex::sourcesOf).orElse(Set.of());
    if (a.equals(b)) {
      return this;
    }
    TreePMap<ObjectKey, TreePSet<ObjectKey>> m = podsBySource;
    for (ObjectKey s : b) {
      if (!a.contains(s)) {
        TreePSet<ObjectKey> set = Optional.ofNullable(m.get(s)).orElse(TreePSet.empty()).minus(change.key());
        m = set.isEmpty() ? m.minus(s) : m.plus(s, set);
      }
    }
    for (ObjectKey s : a) {
      m = m.plus(s, m.getOrDefault(s, TreePSet.empty()).plus(change.key()));
    }
    return new PodSourceIndex(m);
  }
}

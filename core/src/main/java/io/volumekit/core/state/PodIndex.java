package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Pods by the claims they reference: {@code persistentVolumeClaim.claimName} volumes and the
 * claims generic ephemeral volumes get ({@code <pod>-<volume>}).
 *
 * <p>The pvc-protection controller's pod indexer ({@code podIndexer} by claim) and the binder's
 * "pods using this claim" lookup, in O(log n).
 */
public final class PodIndex implements ObjectIndex {

  private static final PodIndex EMPTY = new PodIndex(TreePMap.empty());

  private final TreePMap<ObjectKey, TreePSet<ObjectKey>> podsByClaim;

  private PodIndex(TreePMap<ObjectKey, TreePSet<ObjectKey>> podsByClaim) {
    this.podsByClaim = podsByClaim;
  }

  /** The empty index. */
  public static PodIndex empty() {
    return EMPTY;
  }

  /** Keys of the pods referencing the claim, in key order. */
  public Set<ObjectKey> podsUsing(ObjectKey claim) {
    TreePSet<ObjectKey> s = podsByClaim.get(claim);
    return s == null ? Set.of() : s;
  }

  /**
   * The claim keys a pod references, in the order of its volumes (an immutable set).
   *
   * <p>About ten watches and this index ask it of the same two pods (before and after) for each
   * pod change, so the last few answers are remembered by pod identity. The memo is a pure cache:
   * pods are immutable, entries are immutable records (safely published through their final
   * fields), and a lost or stale slot only means computing the answer again.
   */
  public static Set<ObjectKey> claimsOf(Pod pod) {
    int slot = System.identityHashCode(pod) & (RECENT.length - 1);
    Memo m = RECENT[slot];
    if (m != null && m.pod == pod) {
      return m.claims;
    }
    Set<ObjectKey> claims = computeClaims(pod);
    RECENT[slot] = new Memo(pod, claims);
    return claims;
  }

  private record Memo(Pod pod, Set<ObjectKey> claims) {}

  private static final Memo[] RECENT = new Memo[8];

  private static Set<ObjectKey> computeClaims(Pod pod) {
    if (pod.spec().volumes().isEmpty()) {
      return Set.of();
    }
    Set<ObjectKey> out = new LinkedHashSet<>();
    String ns = pod.metadata().namespaceOrEmpty();
    for (Volume v : pod.spec().volumes()) {
      v.persistentVolumeClaim()
          .ifPresent(s -> out.add(ObjectKey.namespaced("PersistentVolumeClaim", ns, s.claimName())));
      if (v.ephemeral().isPresent()) {
        out.add(ObjectKey.namespaced("PersistentVolumeClaim", ns, pod.metadata().name() + "-" + v.name()));
      }
    }
    return out.isEmpty() ? Set.of() : Collections.unmodifiableSet(out);
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
    Set<ObjectKey> b = change.beforeAs(Pod.class).map(PodIndex::claimsOf).orElse(Set.of());
    Set<ObjectKey> a = change.afterAs(Pod.class).map(PodIndex::claimsOf).orElse(Set.of());
    if (a.equals(b)) {
      return this;
    }
    TreePMap<ObjectKey, TreePSet<ObjectKey>> m = podsByClaim;
    for (ObjectKey c : b) {
      if (!a.contains(c)) {
        TreePSet<ObjectKey> s = Optional.ofNullable(m.get(c)).orElse(TreePSet.empty()).minus(change.key());
        m = s.isEmpty() ? m.minus(c) : m.plus(c, s);
      }
    }
    for (ObjectKey c : a) {
      m = m.plus(c, m.getOrDefault(c, TreePSet.empty()).plus(change.key()));
    }
    return new PodIndex(m);
  }
}

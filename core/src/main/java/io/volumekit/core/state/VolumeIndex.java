package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.api.Volumes;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * The binder's index of PersistentVolumes: available volumes bucketed by (class, volume mode,
 * access modes) and ordered by capacity, plus volumes by the claim their {@code claimRef} names.
 *
 * <p>Kubernetes' {@code persistentVolumeOrderedIndex} buckets volumes by access modes only and then
 * scans every volume of a bucket per claim (n^2 for n claims against n volumes). Here each bucket
 * is a persistent sorted set of {@code (capacity, name)}, so the smallest fitting volume is a
 * ceiling lookup: O(log n) per claim. The class and volume mode are part of the bucket key because
 * both must match exactly for a volume that is not pre-bound. Ties between equal capacities are
 * broken by name, an engine choice (docs/cases/binding.md, "Matching").
 *
 * <p>A volume is "available" here iff it has no claimRef, phase {@code Available} and no
 * deletionTimestamp: exactly the volumes step 10 of {@code FindMatchingVolume} may offer to any
 * claim.
 */
public final class VolumeIndex implements ObjectIndex {

  /** A bucket of interchangeable volumes. */
  public record Bucket(String storageClass, String volumeMode, String accessModes)
      implements Comparable<Bucket> {
    @Override
    public int compareTo(Bucket o) {
      int c = storageClass.compareTo(o.storageClass);
      if (c != 0) {
        return c;
      }
      c = volumeMode.compareTo(o.volumeMode);
      return c != 0 ? c : accessModes.compareTo(o.accessModes);
    }

    /** The access modes of the bucket, as a list of full names. */
    public List<String> modes() {
      List<String> out = new ArrayList<>();
      for (String s : accessModes.split(",")) {
        for (String m : AccessModes.ALL) {
          if (AccessModes.shortName(m).equals(s)) {
            out.add(m);
          }
        }
      }
      return out;
    }
  }

  /** A volume in a bucket: its capacity in bytes and its name. */
  public record Entry(long bytes, String name) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(bytes, o.bytes);
      return c != 0 ? c : name.compareTo(o.name);
    }
  }

  private static final VolumeIndex EMPTY = new VolumeIndex(TreePMap.empty(), TreePMap.empty());

  private final TreePMap<Bucket, TreePSet<Entry>> available;
  private final TreePMap<String, TreePSet<String>> byClaim;

  private VolumeIndex(TreePMap<Bucket, TreePSet<Entry>> available, TreePMap<String, TreePSet<String>> byClaim) {
    this.available = available;
    this.byClaim = byClaim;
  }

  /** The empty index. */
  public static VolumeIndex empty() {
    return EMPTY;
  }

  /** The bucket of an available volume, or empty if the volume is not available. */
  public static Optional<Bucket> bucketOf(PersistentVolume pv) {
    if (pv.spec().claimRef().isPresent()
        || !PersistentVolumeStatus.AVAILABLE.equals(pv.phase())
        || pv.metadata().isDeleting()) {
      return Optional.empty();
    }
    return Optional.of(new Bucket(Volumes.storageClass(pv), pv.spec().effectiveVolumeMode(),
        AccessModes.asString(pv.spec().accessModes())));
  }

  /**
   * The buckets of the class and volume mode whose access modes include all the requested ones,
   * fewest modes first (then by their canonical string, for determinism): the order in which
   * Kubernetes' {@code findByClaim} tries them.
   */
  public List<Bucket> candidateBuckets(String storageClass, String volumeMode, Collection<String> requested) {
    List<Bucket> out = null;
    Bucket lo = new Bucket(storageClass, volumeMode, "");
    Bucket hi = new Bucket(storageClass, volumeMode + '\0', "");
    for (Bucket b : available.subMap(lo, true, hi, false).keySet()) {
      if (offersAll(b.accessModes(), requested)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(b);
      }
    }
    if (out == null) {
      return List.of();
    }
    if (out.size() > 1) {
      out.sort(Comparator.comparingInt((Bucket b) -> b.modes().size()).thenComparing(Bucket::accessModes));
    }
    return out;
  }

  /**
   * {@code new Bucket(..., offered).modes().containsAll(requested)} without building the list (the
   * binder asks for every claim): each requested mode is a known one whose short name is among
   * the bucket's comma-separated ones.
   */
  private static boolean offersAll(String offered, Collection<String> requested) {
    for (String r : requested) {
      if (!AccessModes.ALL.contains(r) || !hasToken(offered, AccessModes.shortName(r))) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasToken(String commaSeparated, String token) {
    int from = 0;
    while (from <= commaSeparated.length()) {
      int comma = commaSeparated.indexOf(',', from);
      int to = comma < 0 ? commaSeparated.length() : comma;
      if (to - from == token.length() && commaSeparated.startsWith(token, from)) {
        return true;
      }
      if (comma < 0) {
        return false;
      }
      from = comma + 1;
    }
    return false;
  }

  /**
   * Volumes of the bucket with at least the given capacity, smallest first. Lazy: each step is one
   * O(log n) search of the bucket ({@code ceiling}, then {@code higher}), so a caller that takes
   * the first fitting volume builds no view of the rest (a {@code tailSet} of a persistent set
   * would copy a path of the tree).
   */
  public Iterable<Entry> atLeast(Bucket bucket, long bytes) {
    TreePSet<Entry> s = available.get(bucket);
    if (s == null) {
      return List.of();
    }
    return () -> new Iterator<Entry>() {
      private Entry next = s.ceiling(new Entry(bytes, ""));

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Entry next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Entry e = next;
        next = s.higher(e);
        return e;
      }
    };
  }

  /** Number of available volumes (all buckets). */
  public int availableCount() {
    int n = 0;
    for (TreePSet<Entry> s : available.values()) {
      n += s.size();
    }
    return n;
  }

  /** Names of the volumes whose claimRef names the claim (namespace/name), in name order. */
  public Set<String> volumesReferencing(String namespace, String name) {
    TreePSet<String> s = byClaim.get(namespace + "/" + name);
    return s == null ? Set.of() : s;
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(PersistentVolume.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(PersistentVolume.KIND)) {
      return this;
    }
    Optional<PersistentVolume> before = change.beforeAs(PersistentVolume.class);
    Optional<PersistentVolume> after = change.afterAs(PersistentVolume.class);
    if (before.isPresent() && after.isPresent()
        && before.get().spec() == after.get().spec()
        && before.get().phase().equals(after.get().phase())
        && before.get().metadata().isDeleting() == after.get().metadata().isDeleting()
        && before.get().metadata().annotations().equals(after.get().metadata().annotations())) {
      return this; // nothing the index looks at changed (metadata-only or status-message updates)
    }
    Optional<Bucket> bb = before.flatMap(VolumeIndex::bucketOf);
    Optional<Bucket> ab = after.flatMap(VolumeIndex::bucketOf);
    Optional<String> bc = before.flatMap(VolumeIndex::claimOf);
    Optional<String> ac = after.flatMap(VolumeIndex::claimOf);
    long bBytes = before.isPresent() ? Volumes.capacityBytes(before.get()) : 0L;
    long aBytes = after.isPresent() ? Volumes.capacityBytes(after.get()) : 0L;
    if (bb.equals(ab) && bc.equals(ac) && bBytes == aBytes) {
      return this;
    }
    String name = change.key().name();
    TreePMap<Bucket, TreePSet<Entry>> av = available;
    if (bb.isPresent()) {
      TreePSet<Entry> s = av.get(bb.get());
      if (s != null) {
        s = s.minus(new Entry(bBytes, name));
        av = s.isEmpty() ? av.minus(bb.get()) : av.plus(bb.get(), s);
      }
    }
    if (ab.isPresent()) {
      av = av.plus(ab.get(), av.getOrDefault(ab.get(), TreePSet.empty()).plus(new Entry(aBytes, name)));
    }
    TreePMap<String, TreePSet<String>> bcl = byClaim;
    if (!bc.equals(ac)) {
      if (bc.isPresent()) {
        TreePSet<String> s = bcl.get(bc.get());
        if (s != null) {
          s = s.minus(name);
          bcl = s.isEmpty() ? bcl.minus(bc.get()) : bcl.plus(bc.get(), s);
        }
      }
      if (ac.isPresent()) {
        bcl = bcl.plus(ac.get(), bcl.getOrDefault(ac.get(), TreePSet.empty()).plus(name));
      }
    }
    return new VolumeIndex(av, bcl);
  }

  private static Optional<String> claimOf(PersistentVolume pv) {
    return pv.spec().claimRef().map(r -> r.namespaceOrEmpty() + "/" + r.nameOrEmpty());
  }

  /** Whether the change moved a volume into the available set (it may now satisfy a claim). */
  public static boolean becameAvailable(Change change) {
    if (!change.kind().equals(PersistentVolume.KIND)) {
      return false;
    }
    Optional<Bucket> ab = change.afterAs(PersistentVolume.class).flatMap(VolumeIndex::bucketOf);
    if (ab.isEmpty()) {
      return false;
    }
    Optional<Bucket> bb = change.beforeAs(PersistentVolume.class).flatMap(VolumeIndex::bucketOf);
    return bb.isEmpty() || !bb.equals(ab)
        || Volumes.capacityBytes((PersistentVolume) change.before().get())
            < Volumes.capacityBytes((PersistentVolume) change.after().get());
  }
}

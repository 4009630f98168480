package io.volumekit.core.state;

import com.google.common.collect.Lists;
import io.volumekit.core.key.Change;
import io.volumekit.core.api.Volumes;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeStatus;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.pcollections.TreePMap;

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

  /**
   * A volume in a bucket: its capacity in bytes, its name, and the volume itself (the instance the
   * state stores: the index replaces it on every change of an available volume, so a matcher reads
   * it without a lookup). Ordered, equal and found by capacity and name only; the volume is {@code
   * null} in the probes of searches.
   *
   * <p>The entry also keeps the first 16 characters of the name packed ({@link PackedName}): a
   * search of a bucket of 100,000 volumes compares entries of equal capacity, and then reads the
   * entry alone instead of the name's string and bytes.
   */
  public static final class Entry implements Comparable<Entry> {
    private final long bytes;
    private final String name;
    private final PersistentVolume volume;
    private final long head;
    private final long tail;
    private final boolean packed;

    /** An entry; {@code volume} may be {@code null} for a search probe. */
    public Entry(long bytes, String name, PersistentVolume volume) {
      this.bytes = bytes;
      this.name = Objects.requireNonNull(name, "name");
      this.volume = volume;
      this.head = PackedName.head(name);
      this.tail = PackedName.tail(name);
      this.packed = PackedName.packable(name);
    }

    /** Capacity in bytes. */
    public long bytes() {
      return bytes;
    }

    /** The volume's name. */
    public String name() {
      return name;
    }

    /** The volume as stored ({@code null} only in a search probe). */
    public PersistentVolume volume() {
      return volume;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(bytes, o.bytes);
      if (c != 0) {
        return c;
      }
      return PackedName.compare(packed && o.packed, head, tail, name, o.head, o.tail, o.name);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && e.bytes == bytes && e.name.equals(name);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(bytes) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
      return "Entry[bytes=" + bytes + ", name=" + name + "]";
    }
  }

  /**
   * An empty bucket, ordered by {@link Entry#compareTo} through a comparator of its own rather than
   * {@link Comparator#naturalOrder}: the natural-order comparator is one class shared by every
   * sorted structure of the JVM, so its {@code compareTo} call sees strings, keys, entries and
   * more and is a megamorphic interface call; a dedicated comparator is a direct, inlinable call
   * (a bucket search of 100,000 entries makes about 17 of them, and a bind two searches).
   */
  private static final WideSortedSet<Entry> EMPTY_BUCKET = WideSortedSet.empty(new Comparator<Entry>() {
    @Override
    public int compare(Entry a, Entry b) {
      return a.compareTo(b);
    }
  });

  private static final VolumeIndex EMPTY = new VolumeIndex(TreePMap.empty(new Comparator<Bucket>() {
    // its own comparator for the same reason as EMPTY_BUCKET's: a bind looks its bucket up twice
    @Override
    public int compare(Bucket a, Bucket b) {
      return a.compareTo(b);
    }
  }), VolumesByClaim.EMPTY);

  /**
   * Available volumes by bucket. The buckets are few (a map of them, in order, for {@link
   * #candidateBuckets}); each holds up to every volume, in a wide persistent B+-tree ({@link
   * WideSortedSet}): a bind removes its volume from one, and a binary tree of that size is about 17
   * levels of separate nodes.
   */
  private final TreePMap<Bucket, WideSortedSet<Entry>> available;
  /** Volume names by the claim their claimRef names: only looked up, so a hash trie. */
  private final VolumesByClaim byClaim;

  private VolumeIndex(TreePMap<Bucket, WideSortedSet<Entry>> available, VolumesByClaim byClaim) {
    this.available = available;
    this.byClaim = byClaim;
  }

  /** The empty index. */
  public static VolumeIndex empty() {
    return EMPTY;
  }

  /** The bucket of an available volume, or empty if the volume is not available. */
  public static Optional<Bucket> bucketOf(PersistentVolume pv) {
    return Optional.ofNullable(bucketOrNull(pv));
  }

  /** {@link #bucketOf} without the Optional: {@code null} if the volume is not available. */
  private static Bucket bucketOrNull(PersistentVolume pv) {
    if (pv == null || !available(pv)) {
      return null;
    }
    return new Bucket(Volumes.storageClass(pv), pv.spec().effectiveVolumeMode(), modesKey(pv.spec().accessModes()));
  }

  /**
   * {@link AccessModes#asString}: for the common single known mode its short name (a constant),
   * without building a string; the general case otherwise. Every update of an available volume
   * (and every bind, which takes one out) asks for the bucket of its before and after states.
   */
  private static String modesKey(List<String> modes) {
    if (modes.size() == 1) {
      String m = knownShortName(modes.get(0));
      if (m != null) {
        return m;
      }
    }
    return AccessModes.asString(modes);
  }

  /**
   * The buckets of the class and volume mode whose access modes include all the requested ones,
   * fewest modes first (then by their canonical string, for determinism): the order in which
   * Kubernetes' {@code findByClaim} tries them.
   */
  public List<Bucket> candidateBuckets(String storageClass, String volumeMode, Collection<String> requested) {
    return Lists.transform(candidates(storageClass, volumeMode, requested), Map.Entry::getKey);
  }

  /**
   * The first volume, in the order of {@link #candidateBuckets} and then of {@link #atLeast}, with at
   * least {@code bytes} that {@code accepts}: the smallest fitting available volume of the class and
   * volume mode whose access modes include the requested ones, or {@code null}. The same answer as
   * walking {@code atLeast(b, bytes)} for each of {@code candidateBuckets(...)}, in one call that
   * reads each bucket's set where it finds the bucket (no second lookup of it in the map of
   * buckets). O(log n) per volume stepped over.
   */
  public PersistentVolume smallestAvailable(String storageClass, String volumeMode, Collection<String> requested,
      long bytes, Predicate<PersistentVolume> accepts) {
    for (Map.Entry<Bucket, WideSortedSet<Entry>> e : candidates(storageClass, volumeMode, requested)) {
      PersistentVolume pv = smallestIn(e.getValue(), bytes, accepts);
      if (pv != null) {
        return pv;
      }
    }
    return null;
  }

  /**
   * The buckets of {@link #candidateBuckets}, in its order, each with its set of volumes. The
   * buckets of the class and volume mode are the keys from (class, mode, "") on that keep both:
   * stepped through with ceiling/higher lookups (O(log b) each for b buckets), where a sub-map view
   * and its iterator cost a few objects per claim; the common single bucket makes a one-element
   * list and no sort.
   */
  private List<Map.Entry<Bucket, WideSortedSet<Entry>>> candidates(String storageClass, String volumeMode,
      Collection<String> requested) {
    Map.Entry<Bucket, WideSortedSet<Entry>> only = null;
    List<Map.Entry<Bucket, WideSortedSet<Entry>>> several = null;
    for (Map.Entry<Bucket, WideSortedSet<Entry>> e = available.ceilingEntry(new Bucket(storageClass, volumeMode, ""));
        e != null && e.getKey().storageClass().equals(storageClass) && e.getKey().volumeMode().equals(volumeMode);
        e = available.higherEntry(e.getKey())) {
      if (!offersAll(e.getKey().accessModes(), requested)) {
        continue;
      }
      if (only == null) {
        only = e;
      } else {
        if (several == null) {
          several = new ArrayList<>(4);
          several.add(only);
        }
        several.add(e);
      }
    }
    if (only == null) {
      return List.of();
    }
    if (several == null) {
      return List.of(only);
    }
    several.sort(Comparator.comparing(Map.Entry::getKey, BUCKET_ORDER));
    return several;
  }

  /** The order in which {@link #candidateBuckets} lists buckets: fewest modes first, then by their string. */
  private static final Comparator<Bucket> BUCKET_ORDER =
      Comparator.comparingInt((Bucket b) -> b.modes().size()).thenComparing(Bucket::accessModes);

  private static PersistentVolume smallestIn(WideSortedSet<Entry> s, long bytes, Predicate<PersistentVolume> accepts) {
    for (Entry e = s.ceiling(new Entry(bytes, "", null)); e != null; e = s.higher(e)) {
      if (accepts.test(e.volume())) {
        return e.volume();
      }
    }
    return null;
  }

  /**
   * {@code new Bucket(..., offered).modes().containsAll(requested)} without building the list (the
   * binder asks for every claim): each requested mode is a known one whose short name is among
   * the bucket's comma-separated ones.
   */
  private static boolean offersAll(String offered, Collection<String> requested) {
    for (String r : requested) {
      String s = knownShortName(r);
      if (s == null || !hasToken(offered, s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The short name of a known access mode ({@link AccessModes#ALL}), or {@code null} for an unknown
   * one: {@link AccessModes#shortName} answers an unknown mode with the mode itself, so this is
   * {@code ALL.contains(mode) ? shortName(mode) : null} without comparing the mode with each
   * known one (the binder asks for every claim).
   */
  static String knownShortName(String mode) {
    String s = AccessModes.shortName(mode);
    return s == mode ? null : s;
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
   * O(log n) search of the bucket ({@code ceiling}, then {@code higher}, each made only when the
   * caller asks for another volume), so a caller that takes the first fitting volume builds no view
   * of the rest (a {@code tailSet} of a persistent set would copy a path of the tree).
   */
  public Iterable<Entry> atLeast(Bucket bucket, long bytes) {
    WideSortedSet<Entry> s = available.get(bucket);
    if (s == null) {
      return List.of();
    }
    return () -> new Iterator<Entry>() {
      private Entry next = s.ceiling(new Entry(bytes, "", null));
      /** Whether {@code next} was handed out, so the one after it is still to be searched. */
      private boolean taken;

      @Override
      public boolean hasNext() {
        if (taken) {
          next = s.higher(next);
          taken = false;
        }
        return next != null;
      }

      @Override
      public Entry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        taken = true;
        return next;
      }
    };
  }

  /** Number of available volumes (all buckets). */
  public int availableCount() {
    int n = 0;
    for (WideSortedSet<Entry> s : available.values()) {
      n += s.size();
    }
    return n;
  }

  /** Names of the volumes whose claimRef names the claim (namespace/name), in name order. */
  public Set<String> volumesReferencing(String namespace, String name) {
    return byClaim.get(namespace, name);
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(PersistentVolume.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    PersistentVolume before = as(change.before());
    PersistentVolume after = as(change.after());
    if (before == null && after == null) {
      return this;
    }
    if (before != null && after != null
        && before.spec() == after.spec()
        && before.phase().equals(after.phase())
        && before.metadata().isDeleting() == after.metadata().isDeleting()
        && before.metadata().annotations().equals(after.metadata().annotations())
        && !available(before)) {
      return this; // nothing the index looks at changed (metadata-only or status-message updates)
    }
    Bucket bb = bucketOrNull(before);
    Bucket ab = bucketOrNull(after);
    ObjectReference bc = claimRef(before);
    ObjectReference ac = claimRef(after);
    boolean sameClaim = sameClaim(bc, ac);
    long bBytes = before != null ? Volumes.capacityBytes(before) : 0L;
    // the same capacity map (a bind, a phase or annotation change) is not read twice
    long aBytes = after == null ? 0L
        : before != null && after.spec().capacity() == before.spec().capacity() ? bBytes : Volumes.capacityBytes(after);
    String name = change.key().name();
    TreePMap<Bucket, WideSortedSet<Entry>> av = available;
    if (Objects.equals(bb, ab) && bBytes == aBytes) {
      if (ab != null) { // still available, in the same place: the entry takes the new object
        WideSortedSet<Entry> s = av.get(ab);
        av = av.plus(ab, (s == null ? EMPTY_BUCKET : s).with(new Entry(aBytes, name, after)));
      } else if (sameClaim) {
        return this;
      }
    } else {
      if (bb != null) {
        WideSortedSet<Entry> s = av.get(bb);
        if (s != null) {
          s = s.minus(new Entry(bBytes, name, null));
          av = s.isEmpty() ? av.minus(bb) : av.plus(bb, s);
        }
      }
      if (ab != null) {
        WideSortedSet<Entry> s = av.get(ab);
        av = av.plus(ab, (s == null ? EMPTY_BUCKET : s).plus(new Entry(aBytes, name, after)));
      }
    }
    VolumesByClaim bcl = byClaim;
    if (!sameClaim) {
      if (bc != null) {
        bcl = bcl.minus(bc.namespaceOrEmpty(), bc.nameOrEmpty(), name);
      }
      if (ac != null) {
        bcl = bcl.plus(ac.namespaceOrEmpty(), ac.nameOrEmpty(), name);
      }
    }
    return av == available && bcl == byClaim ? this : new VolumeIndex(av, bcl);
  }

  /** Whether the volume is in the available set (what {@link #bucketOf} checks, without building the bucket). */
  private static boolean available(PersistentVolume pv) {
    return pv.spec().claimRef().isEmpty()
        && PersistentVolumeStatus.AVAILABLE.equals(pv.phase())
        && !pv.metadata().isDeleting();
  }

  private static PersistentVolume as(Optional<ApiObject> object) {
    ApiObject o = object.orElse(null);
    return o instanceof PersistentVolume pv ? pv : null;
  }

  private static ObjectReference claimRef(PersistentVolume pv) {
    return pv == null ? null : pv.spec().claimRef().orElse(null);
  }

  /** Whether both references name the same claim (namespace and name), or both are absent. */
  private static boolean sameClaim(ObjectReference a, ObjectReference b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.nameOrEmpty().equals(b.nameOrEmpty()) && a.namespaceOrEmpty().equals(b.namespaceOrEmpty());
  }

  /** Whether the change moved a volume into the available set (it may now satisfy a claim). */
  public static boolean becameAvailable(Change change) {
    PersistentVolume after = as(change.after());
    Bucket ab = bucketOrNull(after);
    if (ab == null) {
      return false;
    }
    PersistentVolume before = as(change.before());
    Bucket bb = bucketOrNull(before);
    return bb == null || !bb.equals(ab) || Volumes.capacityBytes(before) < Volumes.capacityBytes(after);
  }
}

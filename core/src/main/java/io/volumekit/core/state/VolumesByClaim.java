package io.volumekit.core.state;

import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The names of the volumes whose {@code claimRef} names each claim: a persistent hash trie ({@link
 * HashTrie}) keyed by the claim's namespace and name, for {@link VolumeIndex}.
 *
 * <p>Why a hash trie: this map is only looked up by claim (the binder asks it for every claim it
 * syncs), never listed in order, and every bind adds an entry. A sorted tree of 100,000 claims is
 * about 17 levels of nodes and string comparisons, and its key was a {@code "ns/name"} string
 * built per call. Here a lookup hashes the two strings (their hashes are cached) and follows about
 * four nodes; an update copies only that path, so older snapshots keep their own trie and share
 * the rest (O(log n) with structural sharing, as the state's design asks). Volume names are kept
 * in name order.
 */
final class VolumesByClaim extends HashTrie<VolumesByClaim.Claim, VolumesByClaim.Entry, VolumesByClaim> {

  /** A claim's namespace and name, with their {@link #hash}: the key. */
  record Claim(String namespace, String name, int hash) {
    Claim(String namespace, String name) {
      this(namespace, name, VolumesByClaim.hash(namespace, name));
    }
  }

  /**
   * A claim and the names of the volumes referencing it (never empty), in name order: the value.
   * It keeps the claim's hash, so that a lookup that meets another claim's entry on its path
   * tells them apart without comparing the names (two more objects to read).
   */
  record Entry(String namespace, String name, ImmutableSet<String> volumes, int hash) {
    Entry(String namespace, String name, ImmutableSet<String> volumes) {
      this(namespace, name, volumes, VolumesByClaim.hash(namespace, name));
    }
  }

  /** The empty map. */
  static final VolumesByClaim EMPTY = new VolumesByClaim(EMPTY_NODE);

  private VolumesByClaim(Object root) {
    super(root);
  }

  @Override
  VolumesByClaim withRoot(Object root) {
    return new VolumesByClaim(root);
  }

  private static int hash(String namespace, String name) {
    int h = namespace.hashCode() * 31 + name.hashCode();
    return localityOrder(h ^ (h >>> 16)); // claims bound in sequence share their path (KeyTrie's reason)
  }

  @Override
  int keyHash(Claim claim) {
    return claim.hash();
  }

  @Override
  int valueHash(Entry e) {
    return e.hash();
  }

  @Override
  boolean hasKey(Entry e, Claim claim) {
    return e.hash() == claim.hash() && e.name().equals(claim.name()) && e.namespace().equals(claim.namespace());
  }

  @Override
  boolean sameKey(Entry a, Entry b) {
    return a.hash() == b.hash() && a.name().equals(b.name()) && a.namespace().equals(b.namespace());
  }

  /** The volumes referencing the claim, in name order; empty if none. */
  Set<String> get(String namespace, String name) {
    Entry e = get(new Claim(namespace, name));
    return e == null ? Set.of() : e.volumes();
  }

  /** The map with the volume added to the claim's (this one if it is there). */
  VolumesByClaim plus(String namespace, String name, String volume) {
    Entry e = get(new Claim(namespace, name));
    if (e == null) {
      return plus(new Entry(namespace, name, ImmutableSet.of(volume)));
    }
    if (e.volumes().contains(volume)) {
      return this;
    }
    List<String> names = new ArrayList<>(e.volumes());
    names.add(volume);
    names.sort(null);
    return plus(new Entry(namespace, name, ImmutableSet.copyOf(names)));
  }

  /** The map with the volume removed from the claim's (this one if it is not there). */
  VolumesByClaim minus(String namespace, String name, String volume) {
    Claim claim = new Claim(namespace, name);
    Entry e = get(claim);
    if (e == null || !e.volumes().contains(volume)) {
      return this;
    }
    if (e.volumes().size() == 1) {
      return minus(claim);
    }
    List<String> names = new ArrayList<>(e.volumes());
    names.remove(volume);
    return plus(new Entry(namespace, name, ImmutableSet.copyOf(names)));
  }
}

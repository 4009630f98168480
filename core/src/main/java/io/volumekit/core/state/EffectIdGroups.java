package io.volumekit.core.state;

import com.google.common.collect.ImmutableSortedSet;
import io.volumekit.core.effect.EffectId;
import java.util.Set;

/**
 * A persistent map from a string (a node name, or a node and a PersistentVolume) to a set of
 * {@link EffectId}s, for {@link NodeOperationIndex}: both levels are hash tries ({@link HashTrie}).
 *
 * <p>Why not sorted maps and sets: the index changes twice per node effect (recorded, forgotten)
 * and is read rarely (before an unstage, when a node comes back), while ids of one kind share long
 * prefixes ({@code stage-<pv>[<node>]}), so each step down a sorted set compared most of two
 * strings. Here an update hashes the id once (the string caches its hash) and copies a few small
 * nodes, O(log n); a read sorts the group's ids ({@link #ids}), O(k log k) for the k ids asked for.
 */
final class EffectIdGroups extends HashTrie<String, EffectIdGroups.Group, EffectIdGroups> {

  /** The empty map. */
  static final EffectIdGroups EMPTY = new EffectIdGroups(EMPTY_NODE);

  /** One key's ids (never empty in the map). */
  static final class Group {
    final String key;
    final IdSet ids;

    Group(String key, IdSet ids) {
      this.key = key;
      this.ids = ids;
    }
  }

  /** A persistent set of effect ids. */
  static final class IdSet extends HashTrie<EffectId, EffectId, IdSet> {
    static final IdSet EMPTY = new IdSet(EMPTY_NODE);

    private IdSet(Object root) {
      super(root);
    }

    @Override
    IdSet withRoot(Object root) {
      return new IdSet(root);
    }

    boolean isEmpty() {
      return root instanceof Node n && n.slots.length == 0;
    }

    @Override
    int keyHash(EffectId id) {
      return spread(id.value().hashCode());
    }

    @Override
    int valueHash(EffectId id) {
      return spread(id.value().hashCode());
    }

    @Override
    boolean hasKey(EffectId value, EffectId key) {
      return value.equals(key);
    }

    @Override
    boolean sameKey(EffectId a, EffectId b) {
      return a.equals(b);
    }
  }

  private EffectIdGroups(Object root) {
    super(root);
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  @Override
  EffectIdGroups withRoot(Object root) {
    return new EffectIdGroups(root);
  }

  @Override
  int keyHash(String key) {
    return spread(key.hashCode());
  }

  @Override
  int valueHash(Group g) {
    return spread(g.key.hashCode());
  }

  @Override
  boolean hasKey(Group g, String key) {
    return g.key.equals(key);
  }

  @Override
  boolean sameKey(Group a, Group b) {
    return a.key.equals(b.key);
  }

  /** The map with the id added to the key's group. */
  EffectIdGroups with(String key, EffectId id) {
    Group g = get(key);
    IdSet ids = g == null ? IdSet.EMPTY : g.ids;
    IdSet more = ids.plus(id);
    return plus(new Group(key, more));
  }

  /** The map with the id removed from the key's group (the group goes with its last id). */
  EffectIdGroups without(String key, EffectId id) {
    Group g = get(key);
    if (g == null) {
      return this;
    }
    IdSet fewer = g.ids.minus(id);
    if (fewer == g.ids) {
      return this;
    }
    return fewer.isEmpty() ? minus(key) : plus(new Group(key, fewer));
  }

  /** The key's ids in id order (an immutable copy, sorted when read). */
  Set<EffectId> ids(String key) {
    Group g = get(key);
    if (g == null) {
      return Set.of();
    }
    ImmutableSortedSet.Builder<EffectId> sorted = ImmutableSortedSet.naturalOrder();
    g.ids.forEach(sorted::add);
    return sorted.build();
  }
}

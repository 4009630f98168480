package io.volumekit.core.state;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;

/**
 * Where {@link ClusterState} keeps the recorded operations: a persistent hash trie ({@link
 * HashTrie}) of the operations by {@link EffectId}.
 *
 * <p>Why not a sorted map: operations are looked up by id on nearly every reconcile, and recorded
 * and forgotten several times per effect, while they are listed (in id order) only for gauges,
 * take-over and saving. Ids of one kind share long prefixes ({@code stage-<pv>[<node>]}), so each
 * step down a sorted tree compares most of two strings; here a lookup hashes the id once (the
 * string caches its hash) and an update copies a few small nodes. A listing sorts the operations
 * when it is read ({@link ClusterState#operations()}).
 */
final class OperationTrie extends HashTrie<EffectId, Operation, OperationTrie> {

  /** The empty trie. */
  static final OperationTrie EMPTY = new OperationTrie(EMPTY_NODE);

  private OperationTrie(Object root) {
    super(root);
  }

  @Override
  OperationTrie withRoot(Object root) {
    return new OperationTrie(root);
  }

  private static int hash(String id) {
    int h = id.hashCode();
    return h ^ (h >>> 16);
  }

  @Override
  int keyHash(EffectId id) {
    return hash(id.value());
  }

  @Override
  int valueHash(Operation op) {
    return hash(op.effect().id().value());
  }

  @Override
  boolean hasKey(Operation op, EffectId id) {
    return op.effect().id().equals(id);
  }

  @Override
  boolean sameKey(Operation a, Operation b) {
    return a.effect().id().equals(b.effect().id());
  }
}

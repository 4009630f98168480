package io.volumekit.core.state;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;

/**
 * Where {@link ClusterState} keeps its objects: a persistent hash trie ({@link HashTrie}) of the
 * objects by {@link ObjectKey}.
 *
 * <p>Why a hash trie: lookups are the commonest thing a controller does, and a lookup in a
 * balanced tree of 200,000 objects compares three strings at each of about 18 levels. Here a
 * lookup hashes the key once (the strings cache their hashes) and follows about four nodes. An
 * update copies only the path to the changed slot, so updates stay O(log n) with structural
 * sharing. A hash trie has no order; the state keeps the order of listings in sorted sets of keys
 * beside it, which an update of a stored object does not touch.
 *
 * <p>Objects are stored bare (no entry objects): a slot holds an object, whose key is read from
 * its kind and metadata, or a child node.
 */
final class KeyTrie extends HashTrie<ObjectKey, ApiObject, KeyTrie> {

  /** The empty trie. */
  static final KeyTrie EMPTY = new KeyTrie(EMPTY_NODE);

  private KeyTrie(Object root) {
    super(root);
  }

  @Override
  KeyTrie withRoot(Object root) {
    return new KeyTrie(root);
  }

  private static int hash(String kind, String namespace, String name) {
    int h = (kind.hashCode() * 31 + namespace.hashCode()) * 31 + name.hashCode();
    return localityOrder(h ^ (h >>> 16));
  }

  @Override
  int keyHash(ObjectKey key) {
    return hash(key.kind(), key.namespace(), key.name());
  }

  @Override
  int valueHash(ApiObject o) {
    return hash(o.kind(), o.metadata().namespaceOrEmpty(), o.metadata().name());
  }

  @Override
  boolean hasKey(ApiObject o, ObjectKey key) {
    return o.metadata().name().equals(key.name())
        && o.kind().equals(key.kind())
        && o.metadata().namespaceOrEmpty().equals(key.namespace());
  }

  @Override
  boolean sameKey(ApiObject a, ApiObject b) {
    return a.metadata().name().equals(b.metadata().name())
        && a.kind().equals(b.kind())
        && a.metadata().namespaceOrEmpty().equals(b.metadata().namespaceOrEmpty());
  }
}

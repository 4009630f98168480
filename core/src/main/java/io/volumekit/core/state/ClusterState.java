package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.model.meta.ApiObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pcollections.TreePMap;

/**
 * An immutable snapshot of every stored object, the store's resourceVersion counter, the effects in
 * flight, and the secondary indexes the controllers need.
 *
 * <p>This is the engine's equivalent of the API server's etcd contents plus the controllers'
 * informer caches and indexers. Objects live in a persistent sorted map (pcollections {@link
 * TreePMap}, a persistent balanced tree) keyed by {@link ObjectKey}: an update is O(log n) and
 * shares all untouched nodes with the previous snapshot, so old snapshots stay valid and cheap. A
 * sorted map (rather than a hash trie) was chosen on purpose: listings come out in key order, which
 * keeps every run deterministic, and one kind is a contiguous key range. Point lookups ({@link
 * #get}) go through a persistent hash trie of the same objects ({@link KeyTrie}), about four
 * nodes deep instead of the tree's eighteen string comparisons at 200,000 objects; it is updated
 * with the tree, also O(log n) with structural sharing. Indexes ({@link
 * ObjectIndex}) are persistent too and are updated with each change.
 *
 * <p>This class does not implement API semantics (uids, resourceVersion checks, finalizers): see
 * {@link io.volumekit.core.store.Store}. It is the raw, indexed data underneath.
 */
public final class ClusterState {

  private final TreePMap<ObjectKey, ApiObject> objects;
  /** The same objects for point lookups ({@link KeyTrie}: why a second structure, and its cost). */
  private final KeyTrie byKey;
  private final TreePMap<EffectId, Operation> operations;
  private final ObjectIndex[] indexes;
  private final long resourceVersion;

  private ClusterState(
      TreePMap<ObjectKey, ApiObject> objects,
      KeyTrie byKey,
      TreePMap<EffectId, Operation> operations,
      ObjectIndex[] indexes,
      long resourceVersion) {
    this.objects = objects;
    this.byKey = byKey;
    this.operations = operations;
    this.indexes = indexes;
    this.resourceVersion = resourceVersion;
  }

  /** An empty state with the default indexes ({@link Indexes#defaults()}). */
  public static ClusterState empty() {
    return empty(Indexes.defaults());
  }

  /** An empty state with the given (empty) indexes. */
  public static ClusterState empty(List<? extends ObjectIndex> indexes) {
    return new ClusterState(
        TreePMap.empty(), KeyTrie.EMPTY, TreePMap.empty(), indexes.toArray(new ObjectIndex[0]), 0);
  }

  /** The store's resourceVersion counter: the version given to the last write. */
  public long resourceVersion() {
    return resourceVersion;
  }

  /** A copy with the counter set (the store advances it on each write). */
  public ClusterState withResourceVersion(long resourceVersion) {
    return new ClusterState(objects, byKey, operations, indexes, resourceVersion);
  }

  /** The object with the key, if stored. */
  public Optional<ApiObject> get(ObjectKey key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** The object with the key if it is stored and of the given type. */
  public <T extends ApiObject> Optional<T> get(ObjectKey key, Class<T> type) {
    ApiObject o = byKey.get(key);
    return type.isInstance(o) ? Optional.of(type.cast(o)) : Optional.empty();
  }

  /** Whether an object with the key is stored. */
  public boolean contains(ObjectKey key) {
    return byKey.get(key) != null;
  }

  /** Every object of the kind, in key order (a view over the snapshot, O(log n) to create). */
  public Collection<ApiObject> list(String kind) {
    return objects.subMap(ObjectKey.first(kind), true, ObjectKey.first(kind + '\0'), false).values();
  }

  /** Every object of the kind in the namespace, in key order. */
  public Collection<ApiObject> list(String kind, String namespace) {
    return objects
        .subMap(ObjectKey.first(kind, namespace), true, ObjectKey.first(kind, namespace + '\0'), false)
        .values();
  }

  /** Every object of the kind cast to its type, in key order. */
  public <T extends ApiObject> List<T> list(String kind, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (ApiObject o : list(kind)) {
      if (type.isInstance(o)) {
        out.add(type.cast(o));
      }
    }
    return out;
  }

  /** Every stored object, in key order. */
  public Collection<ApiObject> all() {
    return objects.values();
  }

  /** The number of stored objects. */
  public int size() {
    return objects.size();
  }

  /** The index of the given class; fails if the state was built without it. */
  public <I extends ObjectIndex> I index(Class<I> type) {
    for (ObjectIndex i : indexes) {
      if (type.isInstance(i)) {
        return type.cast(i);
      }
    }
    throw new IllegalStateException("this state has no index " + type.getName());
  }

  /**
   * Stores the object under its key (insert or replace) without any API semantics, updating the
   * indexes. O(log n).
   */
  public ClusterState put(ApiObject object) {
    ObjectKey key = ObjectKey.of(object);
    ApiObject before = byKey.get(key);
    Change change = new Change(key, Optional.ofNullable(before), Optional.of(object));
    return new ClusterState(objects.plus(key, object), byKey.plus(object), operations, updated(change), resourceVersion);
  }

  /** Removes the object with the key, if present, updating the indexes. O(log n). */
  public ClusterState remove(ObjectKey key) {
    ApiObject before = byKey.get(key);
    if (before == null) {
      return this;
    }
    Change change = new Change(key, Optional.of(before), Optional.empty());
    return new ClusterState(objects.minus(key), byKey.minus(key), operations, updated(change), resourceVersion);
  }

  private ObjectIndex[] updated(Change change) {
    ObjectIndex[] next = null;
    for (int i = 0; i < indexes.length; i++) {
      ObjectIndex n = indexes[i].apply(change);
      if (n != indexes[i]) {
        if (next == null) {
          next = Arrays.copyOf(indexes, indexes.length);
        }
        next[i] = n;
      }
    }
    return next == null ? indexes : next;
  }

  private ObjectIndex[] updated(Optional<Operation> before, Optional<Operation> after) {
    ObjectIndex[] next = null;
    for (int i = 0; i < indexes.length; i++) {
      ObjectIndex n = indexes[i].applyOperation(before, after);
      if (n != indexes[i]) {
        if (next == null) {
          next = Arrays.copyOf(indexes, indexes.length);
        }
        next[i] = n;
      }
    }
    return next == null ? indexes : next;
  }

  /** The recorded operation (effect in flight or its unconsumed outcome) with the id. */
  public Optional<Operation> operation(EffectId id) {
    return Optional.ofNullable(operations.get(id));
  }

  /** Every recorded operation, ordered by id. */
  public Collection<Operation> operations() {
    return operations.values();
  }

  /** A copy with the operation recorded (replacing one with the same id). */
  public ClusterState withOperation(Operation operation) {
    Objects.requireNonNull(operation, "operation");
    Operation before = operations.get(operation.effect().id());
    return new ClusterState(objects, byKey, operations.plus(operation.effect().id(), operation),
        updated(Optional.ofNullable(before), Optional.of(operation)), resourceVersion);
  }

  /** A copy without the operation with the id. */
  public ClusterState withoutOperation(EffectId id) {
    if (!operations.containsKey(id)) {
      return this;
    }
    return new ClusterState(objects, byKey, operations.minus(id),
        updated(Optional.of(operations.get(id)), Optional.empty()), resourceVersion);
  }

  @Override
  public String toString() {
    return "ClusterState[objects=" + objects.size() + ", operations=" + operations.size()
        + ", resourceVersion=" + resourceVersion + "]";
  }
}

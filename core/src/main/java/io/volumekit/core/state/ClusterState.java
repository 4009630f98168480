package io.volumekit.core.state;

import com.google.common.collect.Iterators;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.model.meta.ApiObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * An immutable snapshot of every stored object, the store's resourceVersion counter, the effects in
 * flight, and the secondary indexes the controllers need.
 *
 * <p>This is the engine's equivalent of the API server's etcd contents plus the controllers'
 * informer caches and indexers. It is built from persistent structures only: an update is O(log n)
 * and shares every untouched node with the previous snapshot, so old snapshots stay valid and
 * cheap. Two structures, each chosen for what it is asked most:
 *
 * <ul>
 *   <li>the objects themselves live in a persistent hash trie ({@link KeyTrie}) keyed by {@link
 *       ObjectKey}: point lookups ({@link #get}) are the commonest thing a controller does, and a
 *       lookup there hashes the key once and follows about four nodes (a sorted tree of 200,000
 *       objects compares three strings at each of about eighteen levels). Writing an object copies
 *       the path to its slot only;
 *   <li>the order of listings comes from the keys alone: per kind, a persistent sorted set of that
 *       kind's keys ({@link TreePSet}, a balanced tree), in a small sorted map of kinds. Listings
 *       come out in key order, which keeps every run deterministic; a kind's listing is its set and
 *       a namespace's a range of it. The sets hold keys, not objects, so an update of a stored
 *       object (most writes: status, annotations, finalizers) leaves them untouched; only a create
 *       or a removal changes a set, in O(log n). A listing looks each key up in the trie.
 * </ul>
 *
 * <p>Indexes ({@link ObjectIndex}) are persistent too and are updated with each change; a change
 * is shown only to the indexes that declare its kind ({@link ObjectIndex#kinds()}).
 *
 * <p>This class does not implement API semantics (uids, resourceVersion checks, finalizers): see
 * {@link io.volumekit.core.store.Store}. It is the raw, indexed data underneath.
 */
public final class ClusterState {

  /** The objects, for lookups and as the values of listings (why a hash trie: the class comment). */
  private final KeyTrie byKey;
  /** Each kind's keys in key order (never an empty set): the order of listings. */
  private final TreePMap<String, TreePSet<ObjectKey>> keysByKind;
  private final int size;
  /** The recorded operations by id (why a hash trie: {@link OperationTrie}). */
  private final OperationTrie operations;
  private final int operationCount;
  private final IndexRouting routing;
  private final ObjectIndex[] indexes;
  private final long resourceVersion;

  private ClusterState(
      KeyTrie byKey,
      TreePMap<String, TreePSet<ObjectKey>> keysByKind,
      int size,
      OperationTrie operations,
      int operationCount,
      IndexRouting routing,
      ObjectIndex[] indexes,
      long resourceVersion) {
    this.byKey = byKey;
    this.keysByKind = keysByKind;
    this.size = size;
    this.operations = operations;
    this.operationCount = operationCount;
    this.routing = routing;
    this.indexes = indexes;
    this.resourceVersion = resourceVersion;
  }

  /** An empty state with the default indexes ({@link Indexes#defaults()}). */
  public static ClusterState empty() {
    return empty(Indexes.defaults());
  }

  /** An empty state with the given (empty) indexes. */
  public static ClusterState empty(List<? extends ObjectIndex> indexes) {
    ObjectIndex[] array = indexes.toArray(new ObjectIndex[0]);
    return new ClusterState(
        KeyTrie.EMPTY, TreePMap.empty(), 0, OperationTrie.EMPTY, 0, new IndexRouting(array), array, 0);
  }

  /** The store's resourceVersion counter: the version given to the last write. */
  public long resourceVersion() {
    return resourceVersion;
  }

  /** A copy with the counter set (the store advances it on each write). */
  public ClusterState withResourceVersion(long resourceVersion) {
    return new ClusterState(byKey, keysByKind, size, operations, operationCount, routing, indexes,
        resourceVersion);
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

  /** Every object of the kind, in key order (a view over the snapshot, O(1) to create). */
  public Collection<ApiObject> list(String kind) {
    TreePSet<ObjectKey> keys = keysByKind.get(kind);
    return keys == null ? List.of() : new Listing(keys, keys.size(), byKey);
  }

  /** Every object of the kind in the namespace, in key order (a view, O(log n) to create). */
  public Collection<ApiObject> list(String kind, String namespace) {
    TreePSet<ObjectKey> keys = keysByKind.get(kind);
    if (keys == null) {
      return List.of();
    }
    TreePSet<ObjectKey> range =
        keys.subSet(ObjectKey.first(kind, namespace), true, ObjectKey.first(kind, namespace + '\0'), false);
    return new Listing(range, range.size(), byKey);
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
    Iterable<ObjectKey> keys =
        () -> Iterators.concat(Iterators.transform(keysByKind.values().iterator(), TreePSet::iterator));
    return new Listing(keys, size, byKey);
  }

  /** The number of stored objects. */
  public int size() {
    return size;
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
    return put(new Change(key, Optional.ofNullable(before), Optional.of(object)), before, resourceVersion);
  }

  /** Removes the object with the key, if present, updating the indexes. O(log n). */
  public ClusterState remove(ObjectKey key) {
    ApiObject before = byKey.get(key);
    if (before == null) {
      return this;
    }
    return remove(new Change(key, Optional.of(before), Optional.empty()), resourceVersion);
  }

  /**
   * Commits a change whose {@code before} is what this state holds under its key (the same
   * instance, or absent when nothing is stored): stores its {@code after}, or removes the key when
   * it has none. The same as {@link #put} or {@link #remove}, for a store that builds the change
   * for its watchers anyway (one change per write instead of two). O(log n).
   *
   * @throws IllegalArgumentException if {@code before} is not the stored object
   */
  public ClusterState apply(Change change) {
    return apply(change, resourceVersion);
  }

  /**
   * {@link #apply(Change)} with the counter set to {@code resourceVersion} in the same copy: what
   * a store does on each write (one new snapshot instead of two).
   */
  public ClusterState apply(Change change, long resourceVersion) {
    ApiObject expected = change.before().orElse(null);
    ApiObject after = change.after().orElse(null);
    if (expected != null && after != null) {
      // An update of a stored object (most writes): one descent of the trie that finds the stored
      // instance by identity and replaces it, instead of a lookup to check it, then a put.
      if (!byKey.hasKey(expected, change.key()) || !byKey.hasKey(after, change.key())) {
        throw new IllegalArgumentException("the change's objects do not have its key: " + change.key());
      }
      KeyTrie t = byKey.replace(expected, after, byKey.hashOf(change.key()));
      if (t == null) {
        throw new IllegalArgumentException("the change's before is not the stored object: " + change.key());
      }
      return new ClusterState(t, keysByKind, size, operations, operationCount, routing, updated(change),
          resourceVersion);
    }
    ApiObject before = byKey.get(change.key());
    if (before != change.before().orElse(null)) {
      throw new IllegalArgumentException("the change's before is not the stored object: " + change.key());
    }
    return change.after().isPresent() ? put(change, before, resourceVersion) : remove(change, resourceVersion);
  }

  private ClusterState put(Change change, ApiObject before, long resourceVersion) {
    ObjectKey key = change.key();
    TreePMap<String, TreePSet<ObjectKey>> keys = keysByKind;
    int n = size;
    if (before == null) { // a new key: the only case where the order of listings changes
      TreePSet<ObjectKey> s = keys.get(key.kind());
      keys = keys.plus(key.kind(), s == null ? TreePSet.singleton(key) : s.plus(key));
      n++;
    }
    return new ClusterState(byKey.plus(change.after().get()), keys, n, operations, operationCount, routing,
        updated(change), resourceVersion);
  }

  private ClusterState remove(Change change, long resourceVersion) {
    ObjectKey key = change.key();
    TreePSet<ObjectKey> s = keysByKind.get(key.kind()).minus(key);
    TreePMap<String, TreePSet<ObjectKey>> keys =
        s.isEmpty() ? keysByKind.minus(key.kind()) : keysByKind.plus(key.kind(), s);
    return new ClusterState(byKey.minus(key), keys, size - 1, operations, operationCount, routing, updated(change),
        resourceVersion);
  }

  private ObjectIndex[] updated(Change change) {
    ObjectIndex[] next = null;
    for (int i : routing.forKind(change.kind())) {
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
    for (int i : routing.forOperations()) {
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

  /**
   * Every recorded operation, ordered by id (a view: its size is O(1), and reading it sorts the
   * operations, which are kept unordered for the sake of lookups and updates).
   */
  public Collection<Operation> operations() {
    return new OperationListing(operations, operationCount);
  }

  /** A copy with the operation recorded (replacing one with the same id). */
  public ClusterState withOperation(Operation operation) {
    Objects.requireNonNull(operation, "operation");
    Operation before = operations.get(operation.effect().id());
    return new ClusterState(byKey, keysByKind, size, operations.plus(operation),
        before == null ? operationCount + 1 : operationCount, routing,
        updated(Optional.ofNullable(before), Optional.of(operation)), resourceVersion);
  }

  /** A copy without the operation with the id. */
  public ClusterState withoutOperation(EffectId id) {
    Operation before = operations.get(id);
    if (before == null) {
      return this;
    }
    return new ClusterState(byKey, keysByKind, size, operations.minus(id), operationCount - 1, routing,
        updated(Optional.of(before), Optional.empty()), resourceVersion);
  }

  @Override
  public String toString() {
    return "ClusterState[objects=" + size + ", operations=" + operationCount
        + ", resourceVersion=" + resourceVersion + "]";
  }

  /** The operations of a snapshot in id order, sorted each time they are read (rarely). */
  private static final class OperationListing extends AbstractCollection<Operation> {
    private static final Comparator<Operation> BY_ID = Comparator.comparing(Operation::id);
    private final OperationTrie operations;
    private final int size;

    OperationListing(OperationTrie operations, int size) {
      this.operations = operations;
      this.size = size;
    }

    @Override
    public Iterator<Operation> iterator() {
      List<Operation> all = new ArrayList<>(size);
      operations.forEach(all::add);
      all.sort(BY_ID);
      return Collections.unmodifiableList(all).iterator();
    }

    @Override
    public int size() {
      return size;
    }
  }

  /**
   * A listing: the objects of some keys, in the keys' order, looked up in the trie of the snapshot
   * the listing was made from (so it never sees later writes).
   */
  private static final class Listing extends AbstractCollection<ApiObject> {
    private final Iterable<ObjectKey> keys;
    private final int size;
    private final KeyTrie objects;

    Listing(Iterable<ObjectKey> keys, int size, KeyTrie objects) {
      this.keys = keys;
      this.size = size;
      this.objects = objects;
    }

    @Override
    public Iterator<ApiObject> iterator() {
      return Iterators.transform(keys.iterator(), objects::get);
    }

    @Override
    public int size() {
      return size;
    }
  }
}

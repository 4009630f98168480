package io.volumekit.core.store;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.validation.Defaults;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a create, update or delete does to the stored object, decided from a snapshot without
 * storing anything: the API server's registry strategy (server-managed metadata, admission,
 * finalizers and {@code deletionTimestamp}), shared by every {@link Store} so that an in-memory
 * and a durable store answer the same request the same way. The store then commits the plan
 * (assigning the new {@code resourceVersion}) or refuses it when its own precondition fails.
 *
 * @param action what the store does with the key
 * @param object the object to store ({@link Action#PUT}, without its new resourceVersion), the
 *     stored one ({@link Action#NONE}), or the last state of the removed one ({@link Action#REMOVE})
 */
public record WritePlan(Action action, ApiObject object) {

  /** What the store does with the key. */
  public enum Action {
    /** Nothing changes (a no-op update, or a delete of an object already being deleted). */
    NONE,
    /** The object is stored with a new resourceVersion. */
    PUT,
    /** The key is removed (no finalizer holds it). */
    REMOVE
  }

  public WritePlan {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(object, "object");
  }

  /**
   * A create: a name from {@code generateName} (unused in {@code state}), uid, timestamps,
   * generation, then admission. Throws {@link AlreadyExistsException} when {@code state} holds the
   * key and {@link InvalidException} without a name.
   */
  public static WritePlan create(ApiObject object, ClusterState state, Instant now, Ids ids,
      List<? extends Admission> admission) {
    Objects.requireNonNull(object, "object");
    ObjectMeta meta = object.metadata();
    String name = meta.name();
    if (name.isEmpty()) {
      if (meta.generateName().isEmpty()) {
        throw new InvalidException(
            ObjectKey.of(object), List.of("metadata.name: Required value: name or generateName is required"));
      }
      do {
        name = meta.generateName().get() + ids.suffix();
      } while (state.contains(new ObjectKey(object.kind(), meta.namespaceOrEmpty(), name)));
    }
    ObjectKey key = new ObjectKey(object.kind(), meta.namespaceOrEmpty(), name);
    if (state.contains(key)) {
      throw new AlreadyExistsException(key);
    }
    // One copy of the metadata with every server-managed field set (not one copy per field).
    ApiObject prepared =
        object.withMetadata(new ObjectMeta(name, meta.generateName(), meta.namespace(), Optional.of(ids.uid()),
            Optional.empty(), Defaults.tracksGeneration(object.kind()) ? 1 : 0, Optional.of(now), Optional.empty(),
            meta.labels(), meta.annotations(), meta.finalizers(), meta.ownerReferences()));
    for (Admission a : admission) {
      prepared = a.admitCreate(prepared, state, now);
    }
    return new WritePlan(Action.PUT, prepared);
  }

  /**
   * An update of {@code old} (the stored object of the same key): uid and resourceVersion
   * preconditions ({@link ConflictException}), no new finalizers while deleting, server-managed
   * metadata kept, admission, generation bumped on a spec change; the object is removed when it is
   * being deleted and its last finalizer went away.
   */
  public static WritePlan update(ApiObject object, ApiObject old, ClusterState state, Instant now,
      List<? extends Admission> admission) {
    return update(object, old, state, now, admission, -1);
  }

  /**
   * {@link #update(ApiObject, ApiObject, ClusterState, Instant, List)} for a store that knows the
   * resourceVersion the write will get: a {@link Action#PUT} object carries {@code version}
   * already, set in the same copy of the metadata as a generation bump (one copy of the metadata
   * and of the object per write instead of two; the binding settle writes 200,000 times). A
   * negative {@code version}: the stored version is kept, as in the public method. The other
   * actions never carry it (its string is made only for a PUT).
   */
  static WritePlan update(ApiObject object, ApiObject old, ClusterState state, Instant now,
      List<? extends Admission> admission, long version) {
    Objects.requireNonNull(object, "object");
    ObjectMeta oldMeta = old.metadata();
    ObjectMeta meta = object.metadata();
    if (meta.uid().isPresent() && !meta.uid().equals(oldMeta.uid())) {
      throw ConflictException.uidPrecondition(ObjectKey.of(object), meta.uid().get(), oldMeta.uid().orElse(""));
    }
    if (meta.resourceVersion().isPresent() && !meta.resourceVersion().equals(oldMeta.resourceVersion())) {
      throw ConflictException.modified(ObjectKey.of(object));
    }
    if (oldMeta.isDeleting() && !meta.finalizers().equals(oldMeta.finalizers())) {
      var added = new HashSet<>(meta.finalizers());
      added.removeAll(oldMeta.finalizers());
      if (!added.isEmpty()) {
        throw new InvalidException(ObjectKey.of(object), List.of("metadata.finalizers: Forbidden: no new finalizers can be"
            + " added if the object is being deleted, found new finalizers " + added));
      }
    }
    ApiObject prepared = object;
    if (!meta.uid().equals(oldMeta.uid())
        || !meta.creationTimestamp().equals(oldMeta.creationTimestamp())
        || !meta.deletionTimestamp().equals(oldMeta.deletionTimestamp())
        || !meta.generateName().equals(oldMeta.generateName())
        || meta.generation() != oldMeta.generation()
        || !meta.resourceVersion().equals(oldMeta.resourceVersion())) {
      // Server-managed metadata is the store's, whatever the writer sent.
      prepared =
          object.withMetadata(new ObjectMeta(meta.name(), oldMeta.generateName(), meta.namespace(), oldMeta.uid(),
              oldMeta.resourceVersion(), oldMeta.generation(), oldMeta.creationTimestamp(),
              oldMeta.deletionTimestamp(), meta.labels(), meta.annotations(), meta.finalizers(),
              meta.ownerReferences()));
    }
    boolean specChanged = false;
    for (Admission a : admission) {
      prepared = a.admitUpdate(prepared, old, state, now);
      specChanged |= a.specChanged(prepared, old);
    }
    if (prepared.equals(old)) {
      return new WritePlan(Action.NONE, old); // Kubernetes neither bumps the version nor notifies watchers
    }
    ObjectMeta m = prepared.metadata();
    if (m.isDeleting() && m.finalizers().isEmpty()) {
      return new WritePlan(Action.REMOVE,
          specChanged ? prepared.withMetadata(m.withGeneration(oldMeta.generation() + 1)) : prepared);
    }
    if (specChanged || version >= 0) {
      prepared = prepared.withMetadata(new ObjectMeta(m.name(), m.generateName(), m.namespace(), m.uid(),
          version < 0 ? m.resourceVersion() : Optional.of(Long.toString(version)),
          specChanged ? oldMeta.generation() + 1 : m.generation(), m.creationTimestamp(), m.deletionTimestamp(),
          m.labels(), m.annotations(), m.finalizers(), m.ownerReferences()));
    }
    return new WritePlan(Action.PUT, prepared); // no copy of an object whose metadata stays as it is
  }

  /**
   * A delete of {@code old}: removed when no finalizer holds it, otherwise marked with {@code
   * deletionTimestamp} once. Throws {@link ConflictException} when {@code uid} does not match.
   */
  public static WritePlan delete(ApiObject old, Optional<String> uid, Instant now) {
    ObjectKey key = ObjectKey.of(old);
    if (uid.isPresent() && !uid.equals(old.metadata().uid())) {
      throw ConflictException.uidPrecondition(key, uid.get(), old.metadata().uid().orElse(""));
    }
    if (old.metadata().finalizers().isEmpty()) {
      return new WritePlan(Action.REMOVE, old);
    }
    if (old.metadata().isDeleting()) {
      return new WritePlan(Action.NONE, old);
    }
    return new WritePlan(Action.PUT, old.withMetadata(old.metadata().withDeletionTimestamp(Optional.of(now))));
  }
}

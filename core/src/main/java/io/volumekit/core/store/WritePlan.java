package io.volumekit.core.store;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.validation.Defaults;
import java.time.Instant;
import java.util.ArrayList;
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
    // Identity first: a writer's object is almost always a copy of the stored one that shares
    // these Optionals, and then neither is read (the version's is read by nothing else in a bind).
    if (meta.uid() != oldMeta.uid() && meta.uid().isPresent() && !meta.uid().equals(oldMeta.uid())) {
      throw ConflictException.uidPrecondition(ObjectKey.of(object), meta.uid().get(), oldMeta.uid().orElse(""));
    }
    if (meta.resourceVersion() != oldMeta.resourceVersion() && meta.resourceVersion().isPresent()
        && !meta.resourceVersion().equals(oldMeta.resourceVersion())) {
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
    if (!Objects.equals(meta.uid(), oldMeta.uid()) // Objects.equals: identity first, as above
        || !Objects.equals(meta.creationTimestamp(), oldMeta.creationTimestamp())
        || !Objects.equals(meta.deletionTimestamp(), oldMeta.deletionTimestamp())
        || !Objects.equals(meta.generateName(), oldMeta.generateName())
        || meta.generation() != oldMeta.generation()
        || !Objects.equals(meta.resourceVersion(), oldMeta.resourceVersion())) {
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
    // A changed spec is a change: the whole-object comparison is left for the writes that keep it
    // (a bind changes the spec of both objects, and their metadata, found unequal only at the
    // tenth field, with an entry set made for the annotations).
    if (!specChanged && prepared.equals(old)) {
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
   * The admission hooks an update must ask, in their order: those that override {@link
   * Admission#admitUpdate} or {@link Admission#specChanged} (the others answer the object itself
   * and false, so skipping them changes nothing). A store computes this once: of the four default
   * hooks two only admit creates, and each update made two interface calls per hook, at call
   * sites that saw four classes (calls that are not inlined).
   */
  static List<Admission> updateHooks(List<? extends Admission> admission) {
    List<Admission> out = new ArrayList<>();
    for (Admission a : admission) {
      if (declaredBelowAdmission(a, "admitUpdate", ApiObject.class, ApiObject.class, ClusterState.class, Instant.class)
          || declaredBelowAdmission(a, "specChanged", ApiObject.class, ApiObject.class)) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  /** Whether the hook's class (or an interface of it) overrides the interface's default method. */
  private static boolean declaredBelowAdmission(Admission a, String method, Class<?>... parameters) {
    try {
      return a.getClass().getMethod(method, parameters).getDeclaringClass() != Admission.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("Admission." + method + " not found", e);
    }
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

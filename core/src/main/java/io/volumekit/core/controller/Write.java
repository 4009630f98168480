package io.volumekit.core.controller;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.util.Objects;
import java.util.Optional;

/**
 * One object write a controller decided, performed through the store with API semantics.
 *
 * <p>{@link Update} carries the object as the controller read it and changed it: its {@code
 * resourceVersion} is checked, so a write based on a stale read fails with a conflict, as in
 * Kubernetes.
 */
public sealed interface Write {

  /** The key of the written object. */
  ObjectKey key();

  /**
   * Calls the visitor's method for this kind of write. Every kind implements it, so a new kind
   * needs a new {@link Visitor} method and every visitor (the runtime's included) fails to compile
   * until it handles it.
   */
  <R> R accept(Visitor<R> visitor);

  /** One method per kind of write. */
  interface Visitor<R> {
    R create(Create create);

    R update(Update update);

    R delete(Delete delete);
  }

  /** Create a new object (uid, resourceVersion and timestamps assigned by the store). */
  record Create(ApiObject object) implements Write {
    public Create {
      Objects.requireNonNull(object, "object");
    }

    @Override
    public ObjectKey key() {
      return ObjectKey.of(object);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.create(this);
    }
  }

  /** Replace an existing object (spec, metadata and status alike). */
  record Update(ApiObject object) implements Write {
    public Update {
      Objects.requireNonNull(object, "object");
    }

    @Override
    public ObjectKey key() {
      return ObjectKey.of(object);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.update(this);
    }
  }

  /**
   * Request deletion: sets {@code deletionTimestamp} when finalizers remain, else removes the
   * object. With a uid precondition the delete only happens if the stored object has that uid.
   */
  record Delete(ObjectKey key, Optional<String> uid) implements Write {
    public Delete {
      Objects.requireNonNull(key, "key");
      uid = uid == null ? Optional.empty() : uid;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.delete(this);
    }
  }
}

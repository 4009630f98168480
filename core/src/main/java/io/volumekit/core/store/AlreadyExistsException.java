package io.volumekit.core.store;

import io.volumekit.core.key.ObjectKey;

/** A create for a key that is taken: HTTP 409 AlreadyExists, e.g. {@code persistentvolumes "pv1" already exists}. */
public final class AlreadyExistsException extends StoreException {

  public AlreadyExistsException(ObjectKey key) {
    super(key, resource(key.kind()) + " \"" + key.name() + "\" already exists");
  }
}

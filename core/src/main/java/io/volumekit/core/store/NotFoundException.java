package io.volumekit.core.store;

import io.volumekit.core.key.ObjectKey;

/** The object does not exist: HTTP 404 in Kubernetes, e.g. {@code persistentvolumes "pv1" not found}. */
public final class NotFoundException extends StoreException {

  public NotFoundException(ObjectKey key) {
    super(key, resource(key.kind()) + " \"" + key.name() + "\" not found");
  }
}

package io.volumekit.core.store;

import io.volumekit.core.key.ObjectKey;

/**
 * An admission plugin refused the request (HTTP 403 Forbidden), worded as the API server words
 * it: {@code persistentvolumeclaims "data" is forbidden: <reason>}. Nothing was changed.
 */
public final class ForbiddenException extends StoreException {

  private final String reason;

  /** A refusal of the request on the object, for the reason. */
  public ForbiddenException(ObjectKey key, String reason) {
    super(key, resource(key.kind()) + " \"" + key.name() + "\" is forbidden: " + reason);
    this.reason = reason;
  }

  /** The admission plugin's reason, without the prefix naming the object. */
  public String reason() {
    return reason;
  }
}

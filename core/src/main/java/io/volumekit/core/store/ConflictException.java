package io.volumekit.core.store;

import io.volumekit.core.key.ObjectKey;

/**
 * An update or delete based on a stale read (resourceVersion or uid precondition mismatch): HTTP
 * 409 Conflict in Kubernetes. Re-read the object and try again.
 */
public final class ConflictException extends StoreException {

  public ConflictException(ObjectKey key, String message) {
    super(key, message);
  }

  /** The API server's message for a stale resourceVersion. */
  public static ConflictException modified(ObjectKey key) {
    return new ConflictException(key, "Operation cannot be fulfilled on " + resource(key.kind()) + " \""
        + key.name() + "\": the object has been modified; please apply your changes to the latest"
        + " version and try again");
  }

  /** The API server's message for a uid precondition that does not hold. */
  public static ConflictException uidPrecondition(ObjectKey key, String wanted, String actual) {
    return new ConflictException(key, "Operation cannot be fulfilled on " + resource(key.kind()) + " \""
        + key.name() + "\": Precondition failed: UID in precondition: " + wanted
        + ", UID in object meta: " + actual);
  }
}

package io.volumekit.core.store;

import io.volumekit.core.key.ObjectKey;

/**
 * A refused store request, worded as the Kubernetes API server words it. Nothing was changed.
 */
public abstract class StoreException extends RuntimeException {

  private final ObjectKey key;

  protected StoreException(ObjectKey key, String message) {
    super(message);
    this.key = key;
  }

  /** The key of the object the request was about. */
  public ObjectKey key() {
    return key;
  }

  /** The API resource name of a kind: lowercase plural, e.g. {@code persistentvolumeclaims}. */
  public static String resource(String kind) {
    String k = kind.toLowerCase(java.util.Locale.ROOT);
    if (k.endsWith("s")) {
      return k + "es";
    }
    if (k.endsWith("y")) {
      return k.substring(0, k.length() - 1) + "ies";
    }
    return k + "s";
  }
}

package io.volumekit.core.store;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.key.ObjectKey;

/**
 * The request was refused as invalid (HTTP 422), with field-pathed causes, e.g. {@code The
 * PersistentVolumeClaim "data" is invalid: spec.accessModes: Required value}.
 */
public final class InvalidException extends StoreException {

  private final ImmutableList<String> causes;

  public InvalidException(ObjectKey key, java.util.List<String> causes) {
    super(key, message(key, causes));
    this.causes = ImmutableList.copyOf(causes);
  }

  /** The field errors, e.g. {@code spec.accessModes: Required value}. */
  public ImmutableList<String> causes() {
    return causes;
  }

  private static String message(ObjectKey key, java.util.List<String> causes) {
    String prefix = "The " + key.kind() + " \"" + key.name() + "\" is invalid: ";
    if (causes.size() == 1) {
      return prefix + causes.get(0);
    }
    return prefix + "[" + String.join(", ", causes) + "]";
  }
}

package io.volumekit.model.quantity;

/**
 * Thrown when a string is not a Kubernetes quantity. The message uses the API server's words
 * (e.g. {@code quantities must match the regular expression '...'}) and never more than the first
 * few characters of the rejected input.
 */
public final class QuantityFormatException extends IllegalArgumentException {
  public QuantityFormatException(String message) {
    super(message);
  }
}

package io.volumekit.model.codec;

import java.util.Optional;

/**
 * Input the codec refuses: malformed or oversized YAML/JSON, a wrong type in a field, a missing
 * or unknown kind, or (in strict mode) unknown fields. The message says what was wrong and,
 * where it applies, at which field path; it never contains field values. Nothing is returned to
 * the caller when this is thrown, not even the objects of earlier documents.
 */
public class DecodeException extends RuntimeException {
  private final int document;
  private final String fieldPath;

  public DecodeException(String message, int document, String fieldPath, Throwable cause) {
    super(message, cause);
    this.document = document;
    this.fieldPath = fieldPath;
  }

  public DecodeException(String message) {
    this(message, 0, null, null);
  }

  /** The 1-based index of the document in the stream, or 0 when not known. */
  public int document() {
    return document;
  }

  /** The field path of the offending value, e.g. {@code spec.accessModes}, when there is one. */
  public Optional<String> fieldPath() {
    return Optional.ofNullable(fieldPath);
  }
}

package io.volumekit.model.meta;

/**
 * Messages of the Bean Validation constraints declared on the records, in the API server's
 * words (they must be compile-time constants to be used in annotations).
 */
public final class FieldMessages {
  private FieldMessages() {}

  /** File modes of secret, configMap, downwardAPI and projected volumes. */
  public static final String FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";
}

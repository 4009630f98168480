package io.volumekit.core.migration;

/**
 * An in-tree volume, class or CSI volume that cannot be translated: the message names the field
 * (e.g. {@code spec.awsElasticBlockStore.volumeID}) and why, as csi-translation-lib's errors do.
 * Never carries secret values (only secret names appear in volume sources).
 */
public final class TranslationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with the field path and reason. */
  public TranslationException(String field, String reason) {
    super(field + ": " + reason);
  }
}

package io.volumekit.model.codec;

/**
 * A problem the codec tolerated (warn mode): an unknown or duplicate field. {@link #message()}
 * is what kubectl prints after {@code Warning: }, e.g. {@code unknown field "spec.foo"}.
 *
 * @param document 1-based index of the document in the stream
 * @param kind the kind of the object
 * @param name the object's metadata.name, or ""
 * @param fieldPath the field's path, e.g. {@code spec.volumes[0].configMap}
 * @param message the warning text
 */
public record DecodeWarning(int document, String kind, String name, String fieldPath, String message) {
  @Override
  public String toString() {
    return message;
  }
}

package io.volumekit.model.codec;

import java.util.List;

/**
 * Unknown or duplicate fields in strict mode. The message is the API server's: {@code
 * PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: strict
 * decoding error: unknown field "spec.foo"}; {@link #violations()} lists each {@code unknown
 * field "<path>"} text.
 */
public final class StrictDecodingException extends DecodeException {
  private final String kind;
  private final String name;
  private final List<String> violations;

  public StrictDecodingException(int document, String apiVersion, String kind, String name, List<String> violations) {
    super(kind + " in version \"" + version(apiVersion) + "\" cannot be handled as a " + kind
        + ": strict decoding error: " + String.join(", ", violations), document, null, null);
    this.kind = kind;
    this.name = name;
    this.violations = List.copyOf(violations);
  }

  private static String version(String apiVersion) {
    int i = apiVersion.indexOf('/');
    return i < 0 ? apiVersion : apiVersion.substring(i + 1);
  }

  public String kind() {
    return kind;
  }

  /** metadata.name of the object, or "". */
  public String name() {
    return name;
  }

  /** Each violation, e.g. {@code unknown field "spec.foo"}. */
  public List<String> violations() {
    return violations;
  }
}

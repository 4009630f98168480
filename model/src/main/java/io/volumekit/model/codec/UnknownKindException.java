package io.volumekit.model.codec;

/**
 * A document whose apiVersion + kind volumekit does not know. The message follows the API
 * machinery's {@code NoKindMatchError}: {@code no matches for kind "Foo" in version
 * "example.com/v1"}; {@link #name()} and {@link #namespace()} let a command line add kubectl's
 * {@code resource mapping not found for name: ...} line, as kubectl prints it.
 */
public final class UnknownKindException extends DecodeException {
  private final String apiVersion;
  private final String kind;
  private final String name;
  private final String namespace;

  public UnknownKindException(int document, String apiVersion, String kind, String name, String namespace) {
    super("no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\"", document, null, null);
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
  }

  public String apiVersion() {
    return apiVersion;
  }

  public String kind() {
    return kind;
  }

  /** metadata.name of the document, or "". */
  public String name() {
    return name;
  }

  /** metadata.namespace of the document, or "". */
  public String namespace() {
    return namespace;
  }
}

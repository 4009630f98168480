package io.volumekit.model.validation;

import java.util.List;

/**
 * An object refused by validation (HTTP 422 Invalid), with the API server's and kubectl's words.
 *
 * <p>{@link #getMessage()} is what kubectl prints for the API server's refusal: {@code The
 * PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Required value} for one
 * error, and for several the head line ending in {@code ": "} followed by one {@code * error}
 * line each. {@link #serverMessage()} is the API server's Status message: {@code
 * PersistentVolumeClaim "data" is invalid: [e1, e2]}. Duplicate texts are dropped in both.
 */
public final class InvalidObjectException extends RuntimeException {
  private final String kind;
  private final String name;
  private final List<FieldError> errors;

  public InvalidObjectException(String kind, String name, List<FieldError> errors) {
    super(kubectlMessage(kind, name, errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid object needs at least one error");
    }
    this.kind = kind;
    this.name = name;
    this.errors = List.copyOf(errors);
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** The errors, in the order found. */
  public List<FieldError> errors() {
    return errors;
  }

  /** The API server's message: {@code <Kind> "<name>" is invalid: <e>} or {@code [e1, e2]}. */
  public String serverMessage() {
    List<String> texts = FieldError.distinctTexts(errors);
    String body = texts.size() == 1 ? texts.get(0) : "[" + String.join(", ", texts) + "]";
    return kind + " " + FieldError.goQuote(name) + " is invalid: " + body;
  }

  private static String kubectlMessage(String kind, String name, List<FieldError> errors) {
    List<String> texts = FieldError.distinctTexts(errors);
    String head = "The " + kind + " " + FieldError.goQuote(name) + " is invalid";
    if (texts.size() == 1) {
      return head + ": " + texts.get(0);
    }
    StringBuilder b = new StringBuilder(head).append(": ");
    for (String t : texts) {
      b.append("\n* ").append(t);
    }
    return b.toString();
  }
}

package io.volumekit.model.validation;

/**
 * The kind of a field error, with the words the API server prints for it
 * ({@code apimachinery/pkg/util/validation/field/errors.go}).
 */
public enum ErrorType {
  REQUIRED("Required value"),
  INVALID("Invalid value"),
  NOT_SUPPORTED("Unsupported value"),
  FORBIDDEN("Forbidden"),
  DUPLICATE("Duplicate value"),
  TOO_LONG("Too long"),
  TOO_MANY("Too many"),
  NOT_FOUND("Not found");

  private final String text;

  ErrorType(String text) {
    this.text = text;
  }

  /** The text, e.g. {@code Required value}. */
  public String text() {
    return text;
  }

  /** Whether the API server prints the bad value for this type. */
  boolean showsValue() {
    return this != REQUIRED && this != FORBIDDEN && this != TOO_LONG;
  }
}

package io.volumekit.model.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.guava.GuavaModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One validation error: type, field path, the bad value as the API server renders it, and a
 * detail. {@link #toString()} is the API server's text ({@code field.Error.Error()}), e.g.
 * {@code spec.resources[storage]: Required value} or {@code spec.accessModes: Unsupported value:
 * "X": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"}.
 *
 * <p>The value is rendered like Kubernetes: strings Go-quoted, numbers and booleans plain,
 * anything else as JSON. Validation never passes secret data as a value.
 *
 * @param type the kind of error
 * @param field the field path, e.g. {@code spec.accessModes}
 * @param value the rendered bad value, if the type shows one
 * @param detail the detail text, may be empty
 */
public record FieldError(ErrorType type, String field, Optional<String> value, String detail) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .registerModule(new GuavaModule())
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY);

  public FieldError {
    Objects.requireNonNull(type);
    field = Objects.requireNonNullElse(field, "");
    value = value == null ? Optional.empty() : value;
    detail = Objects.requireNonNullElse(detail, "");
  }

  public static FieldError required(FieldPath path, String detail) {
    return new FieldError(ErrorType.REQUIRED, path.toString(), Optional.empty(), detail);
  }

  public static FieldError forbidden(FieldPath path, String detail) {
    return new FieldError(ErrorType.FORBIDDEN, path.toString(), Optional.empty(), detail);
  }

  public static FieldError invalid(FieldPath path, Object value, String detail) {
    return new FieldError(ErrorType.INVALID, path.toString(), Optional.of(render(value)), detail);
  }

  public static FieldError notSupported(FieldPath path, Object value, Collection<String> supported) {
    String d = supported.isEmpty() ? "" : "supported values: "
        + supported.stream().map(FieldError::goQuote).collect(Collectors.joining(", "));
    return new FieldError(ErrorType.NOT_SUPPORTED, path.toString(), Optional.of(render(value)), d);
  }

  public static FieldError duplicate(FieldPath path, Object value) {
    return new FieldError(ErrorType.DUPLICATE, path.toString(), Optional.of(render(value)), "");
  }

  public static FieldError notFound(FieldPath path, Object value) {
    return new FieldError(ErrorType.NOT_FOUND, path.toString(), Optional.of(render(value)), "");
  }

  /** {@code Too long: must have at most N bytes}. */
  public static FieldError tooLong(FieldPath path, long maxLength) {
    return new FieldError(ErrorType.TOO_LONG, path.toString(), Optional.empty(),
        "must have at most " + maxLength + " bytes");
  }

  /** {@code Too many: N: must have at most M items}. */
  public static FieldError tooMany(FieldPath path, int actual, int max) {
    return new FieldError(ErrorType.TOO_MANY, path.toString(), Optional.of(Integer.toString(actual)),
        "must have at most " + max + " items");
  }

  /** The error body without the field: {@code Invalid value: "x": detail}. */
  public String body() {
    String s = type.text();
    if (value.isPresent() && type.showsValue()) {
      s += ": " + value.get();
    }
    if (!detail.isEmpty()) {
      s += ": " + detail;
    }
    return s;
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }

  /** Renders a bad value as the API server does. */
  static String render(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Optional<?> o) {
      return o.isPresent() ? render(o.get()) : "null";
    }
    if (v instanceof RawJson r) {
      return r.json();
    }
    if (v instanceof String s) {
      return goQuote(s);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof io.volumekit.model.quantity.Quantity q) {
      return goQuote(q.toString());
    }
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }

  /** Go's {@code %q} for a string: double quotes, backslash escapes for quotes and controls. */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case 0x07 -> b.append("\\a");
        case 0x08 -> b.append("\\b");
        case 0x0c -> b.append("\\f");
        case 0x0b -> b.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", c));
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    });
    return b.append('"').toString();
  }

  /** A value that is already JSON text and is printed as is (e.g. a map rendered by the caller). */
  record RawJson(String json) {}

  /** The texts of the errors with duplicates removed, in order. */
  public static List<String> distinctTexts(List<FieldError> errors) {
    return errors.stream().map(FieldError::toString).distinct().toList();
  }
}

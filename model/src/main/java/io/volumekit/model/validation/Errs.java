package io.volumekit.model.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** An error list being collected, with short helpers. Not thread-safe; one per validation run. */
final class Errs {
  final List<FieldError> list = new ArrayList<>();

  void add(FieldError e) {
    list.add(e);
  }

  void addAll(Collection<FieldError> es) {
    list.addAll(es);
  }

  void required(FieldPath p, String detail) {
    list.add(FieldError.required(p, detail));
  }

  void required(FieldPath p) {
    required(p, "");
  }

  void forbidden(FieldPath p, String detail) {
    list.add(FieldError.forbidden(p, detail));
  }

  void invalid(FieldPath p, Object value, String detail) {
    list.add(FieldError.invalid(p, value, detail));
  }

  void notSupported(FieldPath p, Object value, Collection<String> supported) {
    list.add(FieldError.notSupported(p, value, supported));
  }

  void duplicate(FieldPath p, Object value) {
    list.add(FieldError.duplicate(p, value));
  }

  void notFound(FieldPath p, Object value) {
    list.add(FieldError.notFound(p, value));
  }

  void tooLong(FieldPath p, long max) {
    list.add(FieldError.tooLong(p, max));
  }

  /** One Invalid error per message, with the value. */
  void each(FieldPath p, String value, List<String> messages) {
    for (String m : messages) {
      invalid(p, value, m);
    }
  }

  /** Invalid "field is immutable" unless equal. */
  void immutable(FieldPath p, Object newValue, Object oldValue) {
    if (!java.util.Objects.equals(newValue, oldValue)) {
      invalid(p, newValue, "field is immutable");
    }
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  int size() {
    return list.size();
  }
}

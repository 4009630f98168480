package io.volumekit.model.validation;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Field-level constraints declared on the records with Jakarta Bean Validation annotations
 * ({@code @Size}, {@code @Min}, {@code @Max}, cascaded with {@code @Valid}), checked by Hibernate
 * Validator and translated into {@link FieldError}s with Kubernetes field paths: each violation
 * becomes {@code Invalid value: <v>: <message>}, the message being the annotation's (written in the
 * API server's words). Cross-field rules are plain code in the other rule classes.
 */
final class BeanConstraints {
  private BeanConstraints() {}

  private static final class Holder {
    static {
      // Route Hibernate Validator's JBoss Logging to SLF4J (the library's only logging API)
      // instead of java.util.logging, which would print to stderr; only if the host chose nothing.
      if (System.getProperty("org.jboss.logging.provider") == null) {
        System.setProperty("org.jboss.logging.provider", "slf4j");
      }
    }

    static final ValidatorFactory FACTORY = jakarta.validation.Validation.byDefaultProvider()
        .configure()
        .messageInterpolator(new ParameterMessageInterpolator())
        .buildValidatorFactory();
    static final Validator VALIDATOR = FACTORY.getValidator();
  }

  static List<FieldError> check(Object object) {
    if (!Reach.mayViolate(object)) {
      return List.of(); // no constrained value in the object: the validator would find nothing
    }
    List<ConstraintViolation<Object>> violations = new ArrayList<>(Holder.VALIDATOR.validate(object));
    violations.sort(Comparator.comparing(v -> v.getPropertyPath().toString()));
    List<FieldError> out = new ArrayList<>();
    for (ConstraintViolation<Object> v : violations) {
      FieldPath path = toFieldPath(v.getPropertyPath());
      out.add(FieldError.invalid(path, v.getInvalidValue(), v.getMessage()));
    }
    return out;
  }

  /** The validator, built once. */
  static Validator validator() {
    return Holder.VALIDATOR;
  }

  static FieldPath toFieldPath(Path path) {
    FieldPath p = null;
    for (Path.Node n : path) {
      if (n.isInIterable() && p != null) {
        if (n.getIndex() != null) {
          p = p.index(n.getIndex());
        } else if (n.getKey() != null) {
          p = p.key(String.valueOf(n.getKey()));
        }
      }
      String name = n.getName();
      if (name == null || name.startsWith("<")) {
        continue;
      }
      p = p == null ? FieldPath.root(name) : p.child(name);
    }
    return p == null ? FieldPath.root("") : p;
  }
}

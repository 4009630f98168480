package io.volumekit.model.validation;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Field-level constraints declared on the records with Jakarta Bean Validation annotations
 * ({@code @Size}, {@code @Min}, {@code @Max}, cascaded with {@code @Valid}), checked by Hibernate
 * Validator and translated into {@link FieldError}s with Kubernetes field paths: {@code @Size(max)}
 * becomes {@code Too long: must have at most N bytes}, {@code @Min}/{@code @Max} become {@code
 * Invalid value: <v>: <message>}. Cross-field rules are plain code in the other rule classes.
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
    List<ConstraintViolation<Object>> violations = new ArrayList<>(Holder.VALIDATOR.validate(object));
    violations.sort(Comparator.comparing(v -> v.getPropertyPath().toString()));
    List<FieldError> out = new ArrayList<>();
    for (ConstraintViolation<Object> v : violations) {
      FieldPath path = toFieldPath(v.getPropertyPath());
      var annotation = v.getConstraintDescriptor().getAnnotation();
      if (annotation instanceof Size size) {
        out.add(FieldError.tooLong(path, size.max()));
      } else {
        out.add(FieldError.invalid(path, v.getInvalidValue(), v.getMessage()));
      }
    }
    return out;
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

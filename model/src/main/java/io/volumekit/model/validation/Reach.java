package io.volumekit.model.validation;

import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ContainerElementTypeDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Hibernate Validator could report a violation for an object, decided without running it:
 * the model declares few field constraints (file modes, ports, token lifetimes, weights...) deep
 * in optional parts of an object (a pod's projected volume, a container's ports), and most
 * objects written have none of those parts. Running the validator on such an object walks the
 * whole cascade and allocates kilobytes only to find nothing.
 *
 * <p>The validator's own metadata ({@link BeanDescriptor}) is read once per class into a {@link
 * Plan}: the record accessors of the properties the validator would descend into ({@code @Valid},
 * on the property or on an {@code Optional} or list element) and those with constraints on their
 * elements ({@code Optional<@Min Integer>}). An object "may violate" as soon as the walk reaches a
 * present value with a constraint of its own, or a class the plan cannot read (a class-level or
 * property constraint, a non-record class, a nested container); then the validator runs on the
 * whole object exactly as before. Otherwise the validator would check no constraint at all, so its
 * answer, no violation, is known. Conservative: it may say "may violate" for a valid object, never
 * "cannot" for one the validator would refuse.
 */
final class Reach {
  private Reach() {}

  /** How one property is followed. */
  private enum Mode {
    /** {@code @Valid} on the property: the value (or the values it contains) are beans to walk. */
    CASCADE,
    /** {@code @Valid} on the element type ({@code Optional<@Valid X>}, {@code List<@Valid X>}). */
    CASCADE_ELEMENTS,
    /** Constraints on the element type: any element present is checked. */
    CONSTRAINED_ELEMENTS
  }

  private record Step(MethodHandle accessor, Mode mode) {}

  /** What the validator does with a class: always something, nothing, or these steps. */
  private record Plan(boolean always, List<Step> steps) {
    static final Plan ALWAYS = new Plan(true, List.of());
    static final Plan NOTHING = new Plan(false, List.of());
  }

  private static final ClassValue<Plan> PLANS = new ClassValue<>() {
    @Override
    protected Plan computeValue(Class<?> type) {
      return plan(type);
    }
  };

  /** Whether the validator could find a violation in the object (false only when it cannot). */
  static boolean mayViolate(Object object) {
    return object != null && walk(object, 0);
  }

  private static boolean walk(Object bean, int depth) {
    if (depth > 64) {
      return true; // deeper than any model object: let the validator decide
    }
    Plan p = PLANS.get(bean.getClass());
    if (p.always) {
      return true;
    }
    for (Step s : p.steps) {
      Object v = read(s.accessor, bean);
      if (v == null) {
        continue;
      }
      switch (s.mode) {
        case CONSTRAINED_ELEMENTS -> {
          if (!isEmptyContainer(v)) {
            return true;
          }
        }
        case CASCADE, CASCADE_ELEMENTS -> {
          if (cascade(v, depth)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Walks a cascaded value: a bean, or each element of an Optional, Iterable or Map's values. */
  private static boolean cascade(Object v, int depth) {
    if (v instanceof Optional<?> o) {
      return o.isPresent() && walk(o.get(), depth + 1);
    }
    if (v instanceof Iterable<?> it) {
      for (Object e : it) {
        if (e != null && walk(e, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    if (v instanceof Map<?, ?> m) {
      for (Object e : m.values()) {
        if (e != null && walk(e, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    return walk(v, depth + 1);
  }

  private static boolean isEmptyContainer(Object v) {
    if (v instanceof Optional<?> o) {
      return o.isEmpty();
    }
    if (v instanceof Iterable<?> it) {
      return !it.iterator().hasNext();
    }
    if (v instanceof Map<?, ?> m) {
      return m.isEmpty();
    }
    return false; // a container the walk does not know: assume it holds a value
  }

  private static Object read(MethodHandle accessor, Object bean) {
    try {
      // Exact call on a handle already of type (Object)Object (see accessor): no type adaptation
      // per call, as a plain invoke of a record-typed handle would do.
      return (Object) accessor.invokeExact(bean);
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read a property of " + bean.getClass().getName(), e);
    }
  }

  private static Plan plan(Class<?> type) {
    BeanDescriptor bean = BeanConstraints.validator().getConstraintsForClass(type);
    if (!bean.isBeanConstrained()) {
      return Plan.NOTHING;
    }
    if (bean.hasConstraints() || !type.isRecord()) {
      return Plan.ALWAYS;
    }
    List<Step> steps = new ArrayList<>();
    for (PropertyDescriptor p : bean.getConstrainedProperties()) {
      if (p.hasConstraints()) {
        return Plan.ALWAYS;
      }
      MethodHandle accessor = accessor(type, p.getPropertyName());
      if (accessor == null) {
        return Plan.ALWAYS;
      }
      if (p.isCascaded()) {
        steps.add(new Step(accessor, Mode.CASCADE));
      }
      for (ContainerElementTypeDescriptor e : p.getConstrainedContainerElementTypes()) {
        if (!e.getConstrainedContainerElementTypes().isEmpty()) {
          return Plan.ALWAYS; // nested containers: not followed here
        }
        if (e.hasConstraints()) {
          steps.add(new Step(accessor, Mode.CONSTRAINED_ELEMENTS));
        }
        if (e.isCascaded()) {
          steps.add(new Step(accessor, Mode.CASCADE_ELEMENTS));
        }
      }
    }
    return new Plan(false, List.copyOf(steps));
  }

  /** The type every step's accessor is adapted to once, for {@link #read}'s exact call. */
  private static final java.lang.invoke.MethodType GETTER =
      java.lang.invoke.MethodType.methodType(Object.class, Object.class);

  private static MethodHandle accessor(Class<?> type, String name) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getName().equals(name)) {
        try {
          return MethodHandles.publicLookup().unreflect(c.getAccessor()).asType(GETTER);
        } catch (IllegalAccessException e) {
          return null;
        }
      }
    }
    return null;
  }
}

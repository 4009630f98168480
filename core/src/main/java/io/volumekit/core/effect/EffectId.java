package io.volumekit.core.effect;

import java.util.Objects;

/**
 * The identity of an effect, deterministic from what it acts on, e.g.
 * {@code provision-default/data[0b9e...]} or {@code delete-pvc-0b9e...[3f1a...]}.
 *
 * <p>Mirrors the operation names of Kubernetes' {@code goroutinemap}/{@code
 * nestedpendingoperations}: while an operation with an id is in flight, a second one with the same
 * id is not started.
 */
public record EffectId(String value) implements Comparable<EffectId> {

  public EffectId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("an effect id must not be empty");
    }
  }

  /** An id from its string form. */
  public static EffectId of(String value) {
    return new EffectId(value);
  }

  // Written out (the same as the record's: the value's): ids are compared on every operation
  // lookup, and the generated methods go through an invokedynamic bootstrap.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof EffectId e && value.equals(e.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(EffectId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

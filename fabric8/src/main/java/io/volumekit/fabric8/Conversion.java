package io.volumekit.fabric8;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;

/**
 * The result of converting an object between fabric8's model and volumekit's: the converted value
 * and the paths of the fields the target model could not hold.
 *
 * <p>Nothing is dropped silently: a field the source object sets (a non-empty value) that the
 * converted object no longer has is named in {@link #unmappedFields()}, e.g. {@code
 * metadata.managedFields} or {@code spec.volumes[0].gitRepo} for a fabric8 object volumekit does
 * not model all of. The paths name fields only, never their values, so a Secret's data cannot leak
 * through them. {@link #orThrow()} is the strict mode: the value only if nothing was lost.
 *
 * @param value the converted object
 * @param unmappedFields the dot-and-index paths (as the API server names fields) of the source's
 *     fields that the target lacks, in document order
 * @param <T> the converted object's type
 */
public record Conversion<T>(T value, ImmutableList<String> unmappedFields) {

  public Conversion {
    Objects.requireNonNull(value, "value");
    unmappedFields = ImmutableList.copyOf(unmappedFields);
  }

  /** A conversion that lost the fields at these paths (none: a complete one). */
  public static <T> Conversion<T> of(T value, List<String> unmappedFields) {
    return new Conversion<>(value, ImmutableList.copyOf(unmappedFields));
  }

  /** Whether every field of the source has a place in the target. */
  public boolean complete() {
    return unmappedFields.isEmpty();
  }

  /**
   * The value if the conversion is {@linkplain #complete() complete} (strict mode).
   *
   * @throws UnmappedFieldsException naming every unmapped field otherwise
   */
  public T orThrow() {
    if (!complete()) {
      throw new UnmappedFieldsException(unmappedFields);
    }
    return value;
  }
}

package io.volumekit.fabric8;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A strict conversion ({@link Conversion#orThrow()}) found fields the target model cannot hold.
 * The message names the fields' paths, worded like the API server's strict decoding error ({@code
 * unknown field "spec.foo"}); it never carries their values.
 */
public final class UnmappedFieldsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The unmapped fields' paths. */
  private final ImmutableList<String> fields;

  /** An exception naming the fields at these paths. */
  public UnmappedFieldsException(List<String> fields) {
    super(message(fields));
    this.fields = ImmutableList.copyOf(fields);
  }

  /** The paths of the fields the target model could not hold. */
  public ImmutableList<String> fields() {
    return fields;
  }

  private static String message(List<String> fields) {
    StringBuilder b = new StringBuilder("strict conversion failed: ");
    for (int i = 0; i < fields.size(); i++) {
      b.append(i == 0 ? "" : ", ").append("unknown field \"").append(fields.get(i)).append('"');
    }
    return b.toString();
  }
}

package io.volumekit.model.core;

import java.util.Collection;
import java.util.List;

/**
 * Access modes of PersistentVolumes and claims (matching rules in docs/cases/binding.md, "Matching").
 *
 * <p>Closed string sets are kept as {@code String} constants in the model (not Java enums), so
 * an unknown value read from YAML survives decoding and is reported by validation with the API
 * server's {@code Unsupported value} error and field path.
 */
public final class AccessModes {
  private AccessModes() {}

  public static final String READ_WRITE_ONCE = "ReadWriteOnce";
  public static final String READ_ONLY_MANY = "ReadOnlyMany";
  public static final String READ_WRITE_MANY = "ReadWriteMany";
  public static final String READ_WRITE_ONCE_POD = "ReadWriteOncePod";

  /** All modes, in the canonical order RWO, ROX, RWX, RWOP. */
  public static final List<String> ALL =
      List.of(READ_WRITE_ONCE, READ_ONLY_MANY, READ_WRITE_MANY, READ_WRITE_ONCE_POD);

  /** The short form used by kubectl ({@code RWO}, {@code ROX}, {@code RWX}, {@code RWOP}). */
  public static String shortName(String mode) {
    return switch (mode) {
      case READ_WRITE_ONCE -> "RWO";
      case READ_ONLY_MANY -> "ROX";
      case READ_WRITE_MANY -> "RWX";
      case READ_WRITE_ONCE_POD -> "RWOP";
      default -> mode;
    };
  }

  /** The modes de-duplicated in canonical order, short forms joined by commas ({@code RWO,ROX}). */
  public static String asString(Collection<String> modes) {
    StringBuilder b = new StringBuilder();
    for (String m : ALL) {
      if (modes.contains(m)) {
        if (b.length() > 0) {
          b.append(',');
        }
        b.append(shortName(m));
      }
    }
    return b.toString();
  }

  /** Whether every requested mode is offered (set containment, no implication between modes). */
  public static boolean containsAll(Collection<String> offered, Collection<String> requested) {
    return offered.containsAll(requested);
  }
}

package io.volumekit.model.validation;

/**
 * A path to a field as the API server writes it: struct fields joined with {@code .}, list
 * items as {@code [i]}, map keys as {@code [key]} (e.g. {@code spec.resources[storage]},
 * {@code spec.volumes[0].name}). Mirrors {@code field.Path}. Immutable.
 */
public final class FieldPath {
  private final FieldPath parent;
  // Relative to the parent: a field name (written ".name"), a list index or a map key (written
  // "[i]", "[key]"); for a root, the name. The text is only built when the path is printed:
  // validators build many paths that never end in an error.
  private final String segment;
  private final boolean bracketed;

  private FieldPath(FieldPath parent, String segment, boolean bracketed) {
    this.parent = parent;
    this.segment = segment;
    this.bracketed = bracketed;
  }

  /** A root path, e.g. {@code spec} or {@code metadata}. */
  public static FieldPath root(String name) {
    return new FieldPath(null, name, false);
  }

  /** A path made of several field names, e.g. {@code of("spec", "resources", "requests")}. */
  public static FieldPath of(String first, String... more) {
    FieldPath p = root(first);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  /** This path followed by a field name. */
  public FieldPath child(String name) {
    return new FieldPath(this, name, false);
  }

  /** This path followed by several field names. */
  public FieldPath child(String name, String... more) {
    FieldPath p = child(name);
    for (String m : more) {
      p = p.child(m);
    }
    return p;
  }

  /** This path followed by a list index. */
  public FieldPath index(int i) {
    return new FieldPath(this, Integer.toString(i), true);
  }

  /** This path followed by a map key. */
  public FieldPath key(String key) {
    return new FieldPath(this, key, true);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    append(b);
    return b.toString();
  }

  private void append(StringBuilder b) {
    if (parent != null) {
      parent.append(b);
      if (bracketed) {
        b.append('[').append(segment).append(']');
      } else {
        b.append('.').append(segment);
      }
    } else {
      b.append(segment);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath p && p.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}

package io.volumekit.model.meta;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * Null-to-empty helpers used by the compact constructors of every model record.
 *
 * <p>Kubernetes treats an absent field and an empty one alike for lists, maps and most strings;
 * the records mirror that by never holding {@code null}: absent lists and maps become empty
 * immutable collections, absent optionals {@link Optional#empty()}, absent nested records their
 * empty value. Not meant for use outside the model.
 */
public final class Normalize {
  private Normalize() {}

  public static <T> Optional<T> opt(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  public static <T> ImmutableList<T> list(List<T> value) {
    return value == null ? ImmutableList.of() : ImmutableList.copyOf(value);
  }

  public static <K, V> ImmutableMap<K, V> map(Map<K, V> value) {
    return value == null ? ImmutableMap.of() : ImmutableMap.copyOf(value);
  }

  /**
   * {@link #list(List)} for a list that is already immutable (every record component is one): the
   * list itself, not read at all. {@link ImmutableList#copyOf} would hand back the same list
   * after two type tests and two virtual calls on it (it copies only a sub-list view, which holds
   * the same elements); each {@code with...} copy of a record passes its lists through here, and
   * in the binding settle those lists are mostly not in the CPU cache.
   */
  public static <T> ImmutableList<T> list(ImmutableList<T> value) {
    return value == null ? ImmutableList.of() : value;
  }

  /**
   * {@link #map(Map)} for a map that is already immutable: the map itself, unless it is a sorted
   * map, which is copied as {@link ImmutableMap#copyOf} always did (one type test instead of
   * three tests and a virtual call).
   */
  public static <K, V> ImmutableMap<K, V> map(ImmutableMap<K, V> value) {
    if (value == null) {
      return ImmutableMap.of();
    }
    return value instanceof SortedMap ? ImmutableMap.copyOf(value) : value;
  }

  public static String str(String value) {
    return value == null ? "" : value;
  }

  public static <T> T or(T value, Supplier<T> empty) {
    return value == null ? empty.get() : value;
  }
}

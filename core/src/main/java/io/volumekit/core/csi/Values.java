package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Null-normalisation helpers shared by the CSI records (proto3 style: absent means empty). */
final class Values {
  private Values() {}

  static String str(String s) {
    return Objects.requireNonNullElse(s, "");
  }

  static <K, V> ImmutableMap<K, V> map(Map<K, V> m) {
    return m == null ? ImmutableMap.of() : ImmutableMap.copyOf(m);
  }

  static <T> ImmutableList<T> list(Collection<T> l) {
    return l == null ? ImmutableList.of() : ImmutableList.copyOf(l);
  }

  static <T> ImmutableSet<T> set(Collection<T> l) {
    return l == null ? ImmutableSet.of() : ImmutableSet.copyOf(l);
  }

  static <T> Optional<T> opt(Optional<T> o) {
    return o == null ? Optional.empty() : o;
  }

  static Secrets secrets(Secrets s) {
    return s == null ? Secrets.none() : s;
  }
}

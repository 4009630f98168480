package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.Secret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code secrets} map of a CSI request (fields marked {@code csi_secret} in csi.proto).
 *
 * <p>CSI requires that secrets are never logged (CSI spec, "Secrets Requirements"). This type's {@link
 * #toString()} shows only the keys, so a request record printed in a log or an exception is safe.
 * Read the values only with {@link #asMap()} at the point of use.
 */
public final class Secrets {
  private static final Secrets NONE = new Secrets(ImmutableMap.of());

  private final ImmutableMap<String, String> values;

  private Secrets(ImmutableMap<String, String> values) {
    this.values = values;
  }

  /** No secrets. */
  public static Secrets none() {
    return NONE;
  }

  /** A Secret's data (values decoded as UTF-8), as the kubelet and sidecars pass it to a driver. */
  public static Secrets fromSecret(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String k : secret.keys()) {
      values.put(k, new String(secret.value(k).orElse(new byte[0]), StandardCharsets.UTF_8));
    }
    return of(values);
  }

  /** Secrets holding a copy of the given map (null means none). */
  public static Secrets of(Map<String, String> values) {
    return values == null || values.isEmpty() ? NONE : new Secrets(ImmutableMap.copyOf(values));
  }

  /** The secret values. Never log the result. */
  public ImmutableMap<String, String> asMap() {
    return values;
  }

  /** Whether there are no secrets. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secrets s && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The keys only, values redacted, e.g. {@code Secrets[username=***, password=***]}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Secrets[");
    String sep = "";
    for (String k : values.keySet()) {
      b.append(sep).append(k).append("=***");
      sep = ", ";
    }
    return b.append(']').toString();
  }
}

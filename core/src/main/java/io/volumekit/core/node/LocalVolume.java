package io.volumekit.core.node;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node-local pod volume to set up under the kubelet root: an emptyDir (a plain directory, or
 * memory-backed) or an atomically written volume (secret, configMap, downwardAPI, projected) with
 * its payload.
 *
 * <p>Mirrors the kubelet plugins {@code kubernetes.io/empty-dir}, {@code kubernetes.io/secret},
 * {@code kubernetes.io/configmap}, {@code kubernetes.io/downward-api} and {@code
 * kubernetes.io/projected}. {@link #toString()} never shows payload contents.
 *
 * @param path the absolute host path of the volume directory
 * @param kind how the volume is made
 * @param memory whether the medium is Memory (a tmpfs, when the writer may mount one)
 * @param sizeLimitBytes the emptyDir size limit, if any; for a Memory medium the tmpfs size (the
 *     kubelet's rule, {@code io.volumekit.core.mount.EmptyDirs#tmpfsSizeBytes})
 * @param payload the files by relative path (atomic volumes only)
 * @param fsGroup the group the files should belong to, if the pod sets one
 */
public record LocalVolume(
    String path, Kind kind, boolean memory, Optional<Long> sizeLimitBytes,
    ImmutableSortedMap<String, PayloadFile> payload, Optional<Long> fsGroup) {

  /** How the volume is made. */
  public enum Kind {
    /** An empty directory, mode 0777. */
    EMPTY_DIR,
    /** Files written with the atomic writer's {@code ..data} symlink swap. */
    ATOMIC
  }

  public LocalVolume {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    sizeLimitBytes = sizeLimitBytes == null ? Optional.empty() : sizeLimitBytes;
    payload = payload == null ? ImmutableSortedMap.of() : ImmutableSortedMap.copyOf(payload);
    fsGroup = fsGroup == null ? Optional.empty() : fsGroup;
  }

  /** An emptyDir. */
  public static LocalVolume emptyDir(String path, boolean memory, Optional<Long> sizeLimitBytes, Optional<Long> fsGroup) {
    return new LocalVolume(path, Kind.EMPTY_DIR, memory, sizeLimitBytes, ImmutableSortedMap.of(), fsGroup);
  }

  /** An atomically written volume with the payload. */
  public static LocalVolume atomic(String path, boolean memory, Map<String, PayloadFile> payload, Optional<Long> fsGroup) {
    return new LocalVolume(path, Kind.ATOMIC, memory, Optional.empty(), ImmutableSortedMap.copyOf(payload), fsGroup);
  }

  /** Whether a file holds a service-account token (refreshed before it expires). */
  public boolean hasTokens() {
    return payload.values().stream().anyMatch(f -> f.token().isPresent());
  }

  /** The shortest validity of its tokens, in seconds, if it has any. */
  public java.util.OptionalLong shortestTokenSeconds() {
    return payload.values().stream().flatMap(f -> f.token().stream())
        .mapToLong(io.volumekit.core.token.ServiceAccountTokenRequest::expirationSeconds).min();
  }

  /** This volume with its tokens issued now; itself when it has none. */
  public LocalVolume withTokens(io.volumekit.core.token.TokenIssuer issuer, java.time.Instant now) {
    if (!hasTokens()) {
      return this;
    }
    ImmutableSortedMap.Builder<String, PayloadFile> files = ImmutableSortedMap.naturalOrder();
    payload.forEach((path, f) -> files.put(path, f.issue(issuer, now)));
    return new LocalVolume(path, kind, memory, sizeLimitBytes, files.build(), fsGroup);
  }

  @Override
  public String toString() {
    return "LocalVolume[path=" + path + ", kind=" + kind + ", memory=" + memory + ", sizeLimitBytes="
        + sizeLimitBytes + ", files=" + payload.keySet() + ", fsGroup=" + fsGroup + "]";
  }
}

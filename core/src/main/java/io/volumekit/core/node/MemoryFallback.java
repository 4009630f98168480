package io.volumekit.core.node;

import java.util.Objects;

/**
 * Why an emptyDir with {@code medium: Memory} was made a plain directory rather than a tmpfs (the
 * process may not mount, no mounter...): the result of its {@link
 * io.volumekit.core.effect.WriteLocalVolume} operation, which the pod volume controller reports
 * as an {@code EmptyDirMemoryFallback} event. Kubernetes has no fallback (its SetUp fails).
 *
 * @param reason what the mount attempt said
 */
public record MemoryFallback(String reason) {

  public MemoryFallback {
    Objects.requireNonNull(reason, "reason");
  }
}

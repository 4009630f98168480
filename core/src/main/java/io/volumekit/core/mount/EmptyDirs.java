package io.volumekit.core.mount;

import io.volumekit.model.core.Container;
import io.volumekit.model.core.EmptyDirVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.ResourceRequirements;
import io.volumekit.model.quantity.Quantity;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rules of the kubelet's emptyDir plugin and eviction manager for emptyDir volumes, as pure
 * functions: the size of a memory-backed emptyDir's tmpfs ({@code calculateEmptyDirMemorySize})
 * and the eviction of a pod whose emptyDir uses more than its {@code sizeLimit} ({@code
 * emptyDirLimitEviction}).
 */
public final class EmptyDirs {

  /** The medium of a memory-backed emptyDir. */
  public static final String MEDIUM_MEMORY = "Memory";
  /** The reason of the event saying a memory-backed emptyDir is a plain directory. */
  public static final String MEMORY_FALLBACK_REASON = "EmptyDirMemoryFallback";
  /** The pod status reason of an evicted pod ({@code Evicted}). */
  public static final String EVICTED_REASON = "Evicted";

  private EmptyDirs() {}

  /** Whether the emptyDir is memory-backed ({@code medium: Memory}). */
  public static boolean memory(EmptyDirVolumeSource source) {
    return source.medium().filter(MEDIUM_MEMORY::equals).isPresent();
  }

  /**
   * The size of a memory-backed emptyDir's tmpfs, as the kubelet computes it: the node's
   * allocatable memory, lowered to the pod's memory limit when that is positive and not larger, then
   * to the volume's {@code sizeLimit} when that is positive and not larger. Empty when none of the
   * three is known (the tmpfs then gets the kernel's default size).
   *
   * @param nodeAllocatableBytes the node's {@code status.allocatable.memory}, if known
   * @param podMemoryLimitBytes the pod's memory limit ({@link #podMemoryLimitBytes}), if it has one
   * @param sizeLimitBytes the volume's {@code sizeLimit}, if set
   */
  public static OptionalLong tmpfsSizeBytes(OptionalLong nodeAllocatableBytes, OptionalLong podMemoryLimitBytes,
      OptionalLong sizeLimitBytes) {
    OptionalLong size = nodeAllocatableBytes;
    size = lowerTo(size, podMemoryLimitBytes);
    return lowerTo(size, sizeLimitBytes);
  }

  /** {@code candidate} when it is positive and not larger than {@code size} (or size is unknown). */
  private static OptionalLong lowerTo(OptionalLong size, OptionalLong candidate) {
    if (candidate.isPresent() && candidate.getAsLong() > 0
        && (size.isEmpty() || candidate.getAsLong() <= size.getAsLong())) {
      return candidate;
    }
    return size;
  }

  /**
   * The pod's memory limit as the kubelet sets it on the pod's cgroup ({@code
   * ResourceConfigForPod}): the sum of its containers' memory limits, raised to the largest init
   * container's limit; none when any container (init or not) has no memory limit.
   */
  public static OptionalLong podMemoryLimitBytes(Pod pod) {
    long sum = 0;
    for (Container c : pod.spec().containers()) {
      Optional<Quantity> limit = memoryLimit(c);
      if (limit.isEmpty()) {
        return OptionalLong.empty();
      }
      sum += limit.get().value();
    }
    long max = sum;
    for (Container c : pod.spec().initContainers()) {
      Optional<Quantity> limit = memoryLimit(c);
      if (limit.isEmpty()) {
        return OptionalLong.empty();
      }
      max = Math.max(max, limit.get().value());
    }
    return pod.spec().containers().isEmpty() && pod.spec().initContainers().isEmpty()
        ? OptionalLong.empty() : OptionalLong.of(max);
  }

  private static Optional<Quantity> memoryLimit(Container c) {
    return c.resources().map(ResourceRequirements::limits).map(l -> l.get("memory"));
  }

  /**
   * The eviction manager's decision for one emptyDir: the eviction message when the measured usage
   * exceeds a positive {@code sizeLimit} ({@code Usage of EmptyDir volume "<name>" exceeds the
   * limit "<limit>". }, with the limit in its canonical form), empty otherwise.
   */
  public static Optional<String> evictionMessage(String volume, Optional<Quantity> sizeLimit, long usedBytes) {
    if (sizeLimit.isEmpty() || sizeLimit.get().signum() <= 0 || usedBytes <= sizeLimit.get().value()) {
      return Optional.empty();
    }
    return Optional.of("Usage of EmptyDir volume \"" + volume + "\" exceeds the limit \""
        + sizeLimit.get().canonical() + "\". ");
  }
}

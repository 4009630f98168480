package io.volumekit.core.node;

/**
 * How much a node-local volume holds, as the kubelet's volume statistics measure an emptyDir
 * ({@code MetricsDu}, a walk of the directory): the result of a {@link
 * io.volumekit.core.effect.MeasureLocalVolume} operation, which the pod volume controller compares
 * with the emptyDir's {@code sizeLimit} to evict the pod, as the kubelet's eviction manager does.
 *
 * @param usedBytes the bytes the volume's files hold (each file counted once, however many links it has)
 */
public record LocalVolumeUsage(long usedBytes) {

  public LocalVolumeUsage {
    if (usedBytes < 0) {
      throw new IllegalArgumentException("usedBytes must not be negative: " + usedBytes);
    }
  }
}

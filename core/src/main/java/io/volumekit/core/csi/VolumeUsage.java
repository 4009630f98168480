package io.volumekit.core.csi;

import java.util.Objects;

/**
 * {@code VolumeUsage}: one usage figure from NodeGetVolumeStats, in bytes or inodes. The kubelet
 * exposes these as volume metrics.
 */
public record VolumeUsage(long available, long total, long used, Unit unit) {
  /** A null unit becomes UNKNOWN. */
  public VolumeUsage {
    unit = Objects.requireNonNullElse(unit, Unit.UNKNOWN);
  }

  /** {@code VolumeUsage.Unit}. */
  public enum Unit {
    /** Not set. */
    UNKNOWN,
    /** Bytes. */
    BYTES,
    /** Inodes. */
    INODES
  }
}

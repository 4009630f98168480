package io.volumekit.core.csi;

/**
 * {@code VolumeCondition} (alpha): whether the driver finds the volume abnormal, with a message.
 * Kubernetes reports an abnormal condition as a {@code VolumeConditionAbnormal} event.
 */
public record VolumeCondition(boolean abnormal, String message) {
  /** Normalises null to empty. */
  public VolumeCondition {
    message = Values.str(message);
  }

  /** A normal condition with the given message. */
  public static VolumeCondition healthy(String message) {
    return new VolumeCondition(false, message);
  }
}

package io.volumekit.core.mount;

import io.volumekit.model.core.Container;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.VolumeDevice;
import io.volumekit.model.core.VolumeModes;
import io.volumekit.model.core.VolumeMount;
import java.util.Optional;

/**
 * The volume mode checks the kubelet makes before it sets a pod's persistent volume up (its
 * desired-state populator's {@code createVolumeSpec}): a volume whose PersistentVolume has
 * {@code volumeMode: Block} may only be used through containers' {@code volumeDevices}, a
 * Filesystem one only through {@code volumeMounts}. A mismatch keeps the pod Pending with the
 * kubelet's FailedMount message; nothing is staged or published.
 */
public final class BlockVolumes {

  private BlockVolumes() {}

  /** Whether any container (init containers included) lists the volume in its {@code volumeMounts}. */
  public static boolean mounted(Pod pod, String volume) {
    for (Container c : pod.spec().allContainers()) {
      for (VolumeMount m : c.volumeMounts()) {
        if (m.name().equals(volume)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether any container (init containers included) lists the volume in its {@code volumeDevices}. */
  public static boolean mapped(Pod pod, String volume) {
    for (Container c : pod.spec().allContainers()) {
      for (VolumeDevice d : c.volumeDevices()) {
        if (d.name().equals(volume)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The kubelet's error for a pod volume used against its volume mode, if it is: {@code volume
   * <name> has volumeMode Block, but is specified in volumeMounts}, or {@code ... Filesystem, but is
   * specified in volumeDevices}.
   *
   * @param volumeMode the effective volume mode of the bound PersistentVolume
   */
  public static Optional<String> modeMismatch(Pod pod, String volume, String volumeMode) {
    if (!VolumeModes.FILESYSTEM.equals(volumeMode) && mounted(pod, volume)) {
      return Optional.of("volume " + volume + " has volumeMode " + volumeMode + ", but is specified in volumeMounts");
    }
    if (!VolumeModes.BLOCK.equals(volumeMode) && mapped(pod, volume)) {
      return Optional.of("volume " + volume + " has volumeMode " + volumeMode + ", but is specified in volumeDevices");
    }
    return Optional.empty();
  }
}

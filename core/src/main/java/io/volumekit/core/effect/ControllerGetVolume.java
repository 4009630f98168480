package io.volumekit.core.effect;

import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerGetVolumeResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * The external-health-monitor controller's periodic check of one volume: {@code
 * ControllerGetVolume} (controller capabilities GET_VOLUME and VOLUME_CONDITION), whose volume
 * condition becomes {@code VolumeConditionAbnormal} / {@code VolumeConditionNormal} events on the
 * claim.
 *
 * @param owner the PersistentVolume
 * @param volumeId the CSI volume handle
 */
public record ControllerGetVolume(EffectId id, ObjectKey owner, String controller, String driver, String volumeId)
    implements CsiEffect<ControllerGetVolumeResponse> {

  public ControllerGetVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(volumeId, "volumeId");
  }

  @Override
  public ControllerGetVolumeResponse call(CsiDriver driver) {
    return driver.controllerGetVolume(new ControllerGetVolumeRequest(volumeId));
  }

  @Override
  public String describe() {
    return "ControllerGetVolume driver=" + driver + " volumeId=" + volumeId;
  }
}

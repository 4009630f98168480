package io.volumekit.core.effect;

import io.volumekit.core.csi.ControllerModifyVolumeRequest;
import io.volumekit.core.csi.ControllerModifyVolumeResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code ControllerModifyVolume} for a bound claim whose {@code volumeAttributesClassName}
 * differs from its current class, as the external-resizer's modify controller issues it, with the
 * target VolumeAttributesClass's parameters. {@code target} names that class, so the outcome is
 * recorded against the class that was asked for even if the claim changes meanwhile.
 */
public record ModifyVolume(
    EffectId id, ObjectKey owner, String controller, String driver, String target,
    ControllerModifyVolumeRequest request) implements CsiEffect<ControllerModifyVolumeResponse> {

  public ModifyVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public ControllerModifyVolumeResponse call(CsiDriver driver) {
    return driver.controllerModifyVolume(request);
  }

  @Override
  public String describe() {
    return "ControllerModifyVolume driver=" + driver + " volumeId=" + request.volumeId() + " class=" + target;
  }
}

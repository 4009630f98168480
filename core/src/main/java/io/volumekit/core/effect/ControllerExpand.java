package io.volumekit.core.effect;

import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerExpandVolumeResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code ControllerExpandVolume} for the PV bound to a claim, as the external-resizer issues
 * it when the claim's request grows. The response's capacity becomes the PV's {@code
 * spec.capacity.storage}; its {@code node_expansion_required} says whether the kubelet must follow
 * with NodeExpandVolume.
 *
 * @param volumeName the PV name
 */
public record ControllerExpand(
    EffectId id, ObjectKey owner, String controller, String driver, String volumeName,
    ControllerExpandVolumeRequest request) implements CsiEffect<ControllerExpandVolumeResponse> {

  public ControllerExpand {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(request, "request");
  }

  /** The size asked for, in bytes. */
  public long requiredBytes() {
    return request.capacityRange().map(r -> r.requiredBytes()).orElse(0L);
  }

  @Override
  public ControllerExpandVolumeResponse call(CsiDriver driver) {
    return driver.controllerExpandVolume(request);
  }

  @Override
  public String describe() {
    return "ControllerExpandVolume driver=" + driver + " volumeId=" + request.volumeId() + " bytes=" + requiredBytes();
  }
}

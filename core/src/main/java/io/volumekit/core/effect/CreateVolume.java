package io.volumekit.core.effect;

import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code CreateVolume} for a claim, as the external-provisioner issues it.
 *
 * <p>The request name is the deterministic PV name ({@code pvc-<claim uid>}), so repeating the
 * call after an uncertain failure (DEADLINE_EXCEEDED, UNAVAILABLE...) returns the same volume.
 */
public record CreateVolume(
    EffectId id, ObjectKey owner, String controller, String driver, CreateVolumeRequest request)
    implements CsiEffect<CreateVolumeResponse> {

  public CreateVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public CreateVolumeResponse call(CsiDriver driver) {
    return driver.createVolume(request);
  }

  @Override
  public String describe() {
    long bytes = request.capacityRange().map(r -> r.requiredBytes()).orElse(0L);
    return "CreateVolume driver=" + driver + " name=" + request.name() + " bytes=" + bytes;
  }
}

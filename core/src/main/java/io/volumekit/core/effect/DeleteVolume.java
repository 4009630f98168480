package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code DeleteVolume} for a released PV with reclaim policy Delete (or for a volume whose
 * claim went away before its PV could be stored).
 */
public record DeleteVolume(
    EffectId id, ObjectKey owner, String controller, String driver, DeleteVolumeRequest request)
    implements CsiEffect<Void> {

  public DeleteVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public Void call(CsiDriver driver) {
    driver.deleteVolume(request);
    return null;
  }

  @Override
  public String describe() {
    return "DeleteVolume driver=" + driver + " volumeId=" + request.volumeId();
  }
}

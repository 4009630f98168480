package io.volumekit.core.effect;

import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code ControllerUnpublishVolume} for a VolumeAttachment being deleted (detach), as the
 * external-attacher issues it before removing the attachment's finalizer.
 *
 * @param forced whether the attach/detach controller detached without waiting for the node to
 *     unmount (non-graceful node shutdown); recorded for traces and properties
 */
public record ControllerUnpublish(
    EffectId id, ObjectKey owner, String controller, String driver, ControllerUnpublishVolumeRequest request,
    boolean forced)
    implements CsiEffect<Void> {

  public ControllerUnpublish {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public Void call(CsiDriver driver) {
    driver.controllerUnpublishVolume(request);
    return null;
  }

  @Override
  public String describe() {
    return "ControllerUnpublishVolume driver=" + driver + " volumeId=" + request.volumeId() + " nodeId="
        + request.nodeId() + (forced ? " forced" : "");
  }
}

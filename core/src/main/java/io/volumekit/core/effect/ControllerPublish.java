package io.volumekit.core.effect;

import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code ControllerPublishVolume} for one VolumeAttachment, as the external-attacher issues it;
 * the response's publish_context becomes the attachment's {@code status.attachmentMetadata}.
 */
public record ControllerPublish(
    EffectId id, ObjectKey owner, String controller, String driver, ControllerPublishVolumeRequest request)
    implements CsiEffect<ControllerPublishVolumeResponse> {

  public ControllerPublish {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public ControllerPublishVolumeResponse call(CsiDriver driver) {
    return driver.controllerPublishVolume(request);
  }

  @Override
  public String describe() {
    return "ControllerPublishVolume driver=" + driver + " volumeId=" + request.volumeId() + " nodeId=" + request.nodeId();
  }
}

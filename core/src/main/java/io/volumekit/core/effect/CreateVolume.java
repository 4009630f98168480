package io.volumekit.core.effect;

import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;
import java.util.Optional;

/**
 * CSI {@code CreateVolume} for a claim, as the external-provisioner issues it.
 *
 * <p>The request name is the deterministic PV name ({@code pvc-<claim uid>}), so repeating the
 * call after an uncertain failure (DEADLINE_EXCEEDED, UNAVAILABLE...) returns the same volume.
 */
public record CreateVolume(
    EffectId id, ObjectKey owner, String controller, String driver, CreateVolumeRequest request,
    Optional<String> volumeAttributesClassName)
    implements CsiEffect<CreateVolumeResponse> {

  /**
   * Validates; {@code volumeAttributesClassName} names the VolumeAttributesClass whose parameters
   * are the request's {@code mutable_parameters} (the PV records it, even if the claim's spec
   * names another class by the time the volume exists). Null (an operation saved before the field
   * existed) is empty.
   */
  public CreateVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
    volumeAttributesClassName = volumeAttributesClassName == null ? Optional.empty() : volumeAttributesClassName;
  }

  /** A CreateVolume without a VolumeAttributesClass. */
  public CreateVolume(EffectId id, ObjectKey owner, String controller, String driver, CreateVolumeRequest request) {
    this(id, owner, controller, driver, request, Optional.empty());
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

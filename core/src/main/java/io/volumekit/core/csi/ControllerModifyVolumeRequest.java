package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * ControllerModifyVolume: change a volume's mutable parameters. {@code volumeId} and {@code
 * mutableParameters} are REQUIRED. A driver that cannot apply every parameter answers
 * INVALID_ARGUMENT and must not have applied any of them; an unknown volume is NOT_FOUND.
 * Kubernetes' external-resizer calls it with a VolumeAttributesClass's {@code parameters} when a
 * claim's {@code volumeAttributesClassName} changes.
 */
public record ControllerModifyVolumeRequest(
    String volumeId, Secrets secrets, ImmutableMap<String, String> mutableParameters) {
  /** Normalises nulls to empty values. */
  public ControllerModifyVolumeRequest {
    volumeId = Values.str(volumeId);
    secrets = Values.secrets(secrets);
    mutableParameters = Values.map(mutableParameters);
  }

  /** A request without secrets. */
  public static ControllerModifyVolumeRequest of(String volumeId, Map<String, String> mutableParameters) {
    return new ControllerModifyVolumeRequest(volumeId, Secrets.none(), Values.map(mutableParameters));
  }
}

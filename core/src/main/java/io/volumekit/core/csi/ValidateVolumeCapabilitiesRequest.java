package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * ValidateVolumeCapabilities: does an existing volume support these capabilities? {@code volumeId}
 * and {@code volumeCapabilities} (at least one) are REQUIRED; an unknown volume is NOT_FOUND.
 */
public record ValidateVolumeCapabilitiesRequest(
    String volumeId,
    ImmutableMap<String, String> volumeContext,
    ImmutableList<VolumeCapability> volumeCapabilities,
    ImmutableMap<String, String> parameters,
    Secrets secrets,
    ImmutableMap<String, String> mutableParameters) {
  /** Normalises nulls to empty values. */
  public ValidateVolumeCapabilitiesRequest {
    volumeId = Values.str(volumeId);
    volumeContext = Values.map(volumeContext);
    volumeCapabilities = Values.list(volumeCapabilities);
    parameters = Values.map(parameters);
    secrets = Values.secrets(secrets);
    mutableParameters = Values.map(mutableParameters);
  }

  /** A request with only the volume id and capabilities. */
  public static ValidateVolumeCapabilitiesRequest of(String volumeId, java.util.List<VolumeCapability> caps) {
    return new ValidateVolumeCapabilitiesRequest(volumeId, ImmutableMap.of(), Values.list(caps),
        ImmutableMap.of(), Secrets.none(), ImmutableMap.of());
  }
}

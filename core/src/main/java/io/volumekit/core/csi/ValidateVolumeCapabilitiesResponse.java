package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * ValidateVolumeCapabilities' answer: {@code confirmed} is present only when every capability
 * (and the context/parameters) is supported; otherwise {@code message} may say why not.
 */
public record ValidateVolumeCapabilitiesResponse(Optional<Confirmed> confirmed, String message) {
  /** Normalises nulls to empty values. */
  public ValidateVolumeCapabilitiesResponse {
    confirmed = Values.opt(confirmed);
    message = Values.str(message);
  }

  /** What the driver confirmed it supports. */
  public record Confirmed(
      ImmutableMap<String, String> volumeContext,
      ImmutableList<VolumeCapability> volumeCapabilities,
      ImmutableMap<String, String> parameters,
      ImmutableMap<String, String> mutableParameters) {
    /** Normalises nulls to empty values. */
    public Confirmed {
      volumeContext = Values.map(volumeContext);
      volumeCapabilities = Values.list(volumeCapabilities);
      parameters = Values.map(parameters);
      mutableParameters = Values.map(mutableParameters);
    }
  }
}

package io.volumekit.core.csi;

import com.google.common.collect.ImmutableSet;

/** ControllerGetCapabilities' answer: the controller RPCs the driver supports. */
public record ControllerGetCapabilitiesResponse(ImmutableSet<ControllerCapability> capabilities) {
  /** Normalises null to empty. */
  public ControllerGetCapabilitiesResponse {
    capabilities = Values.set(capabilities);
  }

  /** Whether the driver advertises {@code c}. */
  public boolean has(ControllerCapability c) {
    return capabilities.contains(c);
  }
}

package io.volumekit.core.csi;

import com.google.common.collect.ImmutableSet;

/** GroupControllerGetCapabilities' answer: the GroupController RPCs the driver supports. */
public record GroupControllerGetCapabilitiesResponse(ImmutableSet<GroupControllerCapability> capabilities) {
  /** Normalises null to empty. */
  public GroupControllerGetCapabilitiesResponse {
    capabilities = Values.set(capabilities);
  }

  /** Whether the driver advertises {@code c}. */
  public boolean has(GroupControllerCapability c) {
    return capabilities.contains(c);
  }
}

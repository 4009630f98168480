package io.volumekit.core.csi;

import com.google.common.collect.ImmutableSet;

/** NodeGetCapabilities' answer: the node RPCs and features the driver supports. */
public record NodeGetCapabilitiesResponse(ImmutableSet<NodeCapability> capabilities) {
  /** Normalises null to empty. */
  public NodeGetCapabilitiesResponse {
    capabilities = Values.set(capabilities);
  }

  /** Whether the driver advertises {@code c}. */
  public boolean has(NodeCapability c) {
    return capabilities.contains(c);
  }
}

package io.volumekit.core.csi;

import com.google.common.collect.ImmutableSet;

/** GetPluginCapabilities' answer: the services and features the plugin offers. */
public record GetPluginCapabilitiesResponse(ImmutableSet<PluginCapability> capabilities) {
  /** Normalises null to empty. */
  public GetPluginCapabilitiesResponse {
    capabilities = Values.set(capabilities);
  }

  /** Whether the plugin advertises {@code c}. */
  public boolean has(PluginCapability c) {
    return capabilities.contains(c);
  }
}

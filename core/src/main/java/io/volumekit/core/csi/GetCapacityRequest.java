package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * GetCapacity: how much could be provisioned with these capabilities and parameters in this
 * topology segment (all fields OPTIONAL). Kubernetes publishes the answer as CSIStorageCapacity.
 */
public record GetCapacityRequest(
    ImmutableList<VolumeCapability> volumeCapabilities,
    ImmutableMap<String, String> parameters,
    Optional<Topology> accessibleTopology) {
  /** Normalises nulls to empty values. */
  public GetCapacityRequest {
    volumeCapabilities = Values.list(volumeCapabilities);
    parameters = Values.map(parameters);
    accessibleTopology = Values.opt(accessibleTopology);
  }

  /** A request with no filter. */
  public static GetCapacityRequest all() {
    return new GetCapacityRequest(ImmutableList.of(), ImmutableMap.of(), Optional.empty());
  }
}

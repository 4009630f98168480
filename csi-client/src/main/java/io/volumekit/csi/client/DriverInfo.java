package io.volumekit.csi.client;

import io.volumekit.core.csi.ControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GetPluginInfoResponse;
import io.volumekit.core.csi.GroupControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.NodeGetCapabilitiesResponse;
import io.volumekit.core.csi.NodeGetInfoResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * What a CO learns about a driver when it connects: GetPluginInfo, GetPluginCapabilities,
 * ControllerGetCapabilities (empty when there is no controller service), NodeGetCapabilities,
 * NodeGetInfo (empty when the driver has no node service) and GroupControllerGetCapabilities
 * (empty when the plugin does not advertise GROUP_CONTROLLER_SERVICE). {@link GrpcCsiDriver} caches it and
 * re-reads it after the driver restarts.
 */
public record DriverInfo(
    GetPluginInfoResponse pluginInfo,
    GetPluginCapabilitiesResponse pluginCapabilities,
    ControllerGetCapabilitiesResponse controllerCapabilities,
    NodeGetCapabilitiesResponse nodeCapabilities,
    Optional<NodeGetInfoResponse> nodeInfo,
    GroupControllerGetCapabilitiesResponse groupControllerCapabilities) {
  /** Rejects nulls; a null group controller answer means no group controller capabilities. */
  public DriverInfo {
    Objects.requireNonNull(pluginInfo, "pluginInfo");
    Objects.requireNonNull(pluginCapabilities, "pluginCapabilities");
    Objects.requireNonNull(controllerCapabilities, "controllerCapabilities");
    Objects.requireNonNull(nodeCapabilities, "nodeCapabilities");
    nodeInfo = nodeInfo == null ? Optional.empty() : nodeInfo;
    groupControllerCapabilities = groupControllerCapabilities == null
        ? new GroupControllerGetCapabilitiesResponse(null) : groupControllerCapabilities;
  }

  /** A driver without a group controller service. */
  public DriverInfo(GetPluginInfoResponse pluginInfo, GetPluginCapabilitiesResponse pluginCapabilities,
      ControllerGetCapabilitiesResponse controllerCapabilities, NodeGetCapabilitiesResponse nodeCapabilities,
      Optional<NodeGetInfoResponse> nodeInfo) {
    this(pluginInfo, pluginCapabilities, controllerCapabilities, nodeCapabilities, nodeInfo, null);
  }

  /** The driver's name. */
  public String name() {
    return pluginInfo.name();
  }
}

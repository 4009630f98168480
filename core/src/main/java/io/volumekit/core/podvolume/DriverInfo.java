package io.volumekit.core.podvolume;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodeCapability;
import java.util.Objects;

/**
 * What the engine knows about a registered CSI driver's capabilities, discovered once at
 * registration ({@code ControllerGetCapabilities}, {@code NodeGetCapabilities}).
 *
 * <p>The kubelet asks {@code NodeGetCapabilities} before each operation and the external-attacher
 * reads the controller capabilities at start; controllers here are pure, so the answers are taken
 * when the driver is registered and handed to them as data.
 */
public record DriverInfo(String name, ImmutableSet<ControllerCapability> controller, ImmutableSet<NodeCapability> node) {

  public DriverInfo {
    Objects.requireNonNull(name, "name");
    controller = controller == null ? ImmutableSet.of() : ImmutableSet.copyOf(controller);
    node = node == null ? ImmutableSet.of() : ImmutableSet.copyOf(node);
  }

  /** Asks the driver (controller side) and its node plugin for their capabilities. */
  public static DriverInfo discover(String name, CsiDriver controllerPlugin, CsiDriver nodePlugin) {
    return new DriverInfo(name,
        ImmutableSet.copyOf(controllerPlugin.controllerGetCapabilities().capabilities()),
        ImmutableSet.copyOf(nodePlugin.nodeGetCapabilities().capabilities()));
  }

  /** Whether the controller has PUBLISH_UNPUBLISH_VOLUME (ControllerPublish is called). */
  public boolean publishes() {
    return controller.contains(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME);
  }

  /** Whether the node plugin has STAGE_UNSTAGE_VOLUME (NodeStage is called). */
  public boolean stages() {
    return node.contains(NodeCapability.STAGE_UNSTAGE_VOLUME);
  }
}

package io.volumekit.core.podvolume;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.PluginCapability;
import java.util.Objects;

/**
 * What the engine knows about a registered CSI driver's capabilities, discovered once at
 * registration ({@code ControllerGetCapabilities}, {@code NodeGetCapabilities}, {@code
 * GetPluginCapabilities}).
 *
 * <p>The kubelet asks {@code NodeGetCapabilities} before each operation and the external-attacher
 * reads the controller capabilities at start; controllers here are pure, so the answers are taken
 * when the driver is registered and handed to them as data.
 */
public record DriverInfo(String name, ImmutableSet<ControllerCapability> controller, ImmutableSet<NodeCapability> node,
    ImmutableSet<PluginCapability> plugin) {

  public DriverInfo {
    Objects.requireNonNull(name, "name");
    controller = controller == null ? ImmutableSet.of() : ImmutableSet.copyOf(controller);
    node = node == null ? ImmutableSet.of() : ImmutableSet.copyOf(node);
    plugin = plugin == null ? ImmutableSet.of() : ImmutableSet.copyOf(plugin);
  }

  /** A driver whose plugin capabilities are not known (none assumed). */
  public DriverInfo(String name, ImmutableSet<ControllerCapability> controller, ImmutableSet<NodeCapability> node) {
    this(name, controller, node, ImmutableSet.of());
  }

  /** Asks the driver (controller side) and its node plugin for their capabilities. */
  public static DriverInfo discover(String name, CsiDriver controllerPlugin, CsiDriver nodePlugin) {
    return new DriverInfo(name,
        ImmutableSet.copyOf(controllerPlugin.controllerGetCapabilities().capabilities()),
        ImmutableSet.copyOf(nodePlugin.nodeGetCapabilities().capabilities()),
        ImmutableSet.copyOf(controllerPlugin.getPluginCapabilities().capabilities()));
  }

  /** Whether ControllerExpandVolume is called (controller capability EXPAND_VOLUME). */
  public boolean expandsOnController() {
    return controller.contains(ControllerCapability.EXPAND_VOLUME);
  }

  /** Whether NodeExpandVolume is called (node capability EXPAND_VOLUME). */
  public boolean expandsOnNode() {
    return node.contains(NodeCapability.EXPAND_VOLUME);
  }

  /**
   * Whether a volume may be expanded while a pod uses it: the plugin capability VolumeExpansion
   * ONLINE. A driver that says only OFFLINE is expanded only while no pod uses the volume.
   */
  public boolean expandsOnline() {
    return plugin.contains(PluginCapability.ONLINE_VOLUME_EXPANSION)
        || !plugin.contains(PluginCapability.OFFLINE_VOLUME_EXPANSION);
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

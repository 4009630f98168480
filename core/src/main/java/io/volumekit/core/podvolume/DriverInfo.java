package io.volumekit.core.podvolume;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.GroupControllerCapability;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.PluginCapability;
import java.util.Objects;

/**
 * What the engine knows about a registered CSI driver's capabilities, discovered once at
 * registration ({@code ControllerGetCapabilities}, {@code NodeGetCapabilities}, {@code
 * GetPluginCapabilities}, {@code GroupControllerGetCapabilities}).
 *
 * <p>The kubelet asks {@code NodeGetCapabilities} before each operation and the external-attacher
 * reads the controller capabilities at start; controllers here are pure, so the answers are taken
 * when the driver is registered and handed to them as data.
 */
public record DriverInfo(String name, ImmutableSet<ControllerCapability> controller, ImmutableSet<NodeCapability> node,
    ImmutableSet<PluginCapability> plugin, ImmutableSet<GroupControllerCapability> group) {

  public DriverInfo {
    Objects.requireNonNull(name, "name");
    controller = controller == null ? ImmutableSet.of() : ImmutableSet.copyOf(controller);
    node = node == null ? ImmutableSet.of() : ImmutableSet.copyOf(node);
    plugin = plugin == null ? ImmutableSet.of() : ImmutableSet.copyOf(plugin);
    group = group == null ? ImmutableSet.of() : ImmutableSet.copyOf(group);
  }

  /** A driver without GroupController capabilities. */
  public DriverInfo(String name, ImmutableSet<ControllerCapability> controller, ImmutableSet<NodeCapability> node,
      ImmutableSet<PluginCapability> plugin) {
    this(name, controller, node, plugin, ImmutableSet.of());
  }

  /** A driver whose plugin capabilities are not known (none assumed). */
  public DriverInfo(String name, ImmutableSet<ControllerCapability> controller, ImmutableSet<NodeCapability> node) {
    this(name, controller, node, ImmutableSet.of());
  }

  /**
   * Asks the driver (controller side) and its node plugin for their capabilities; the
   * GroupController's only when the plugin says it serves that service (as the csi-snapshotter
   * does), none when it answers UNIMPLEMENTED.
   */
  public static DriverInfo discover(String name, CsiDriver controllerPlugin, CsiDriver nodePlugin) {
    ImmutableSet<PluginCapability> plugin = ImmutableSet.copyOf(controllerPlugin.getPluginCapabilities().capabilities());
    ImmutableSet<GroupControllerCapability> group = ImmutableSet.of();
    if (plugin.contains(PluginCapability.GROUP_CONTROLLER_SERVICE)) {
      try {
        group = ImmutableSet.copyOf(controllerPlugin.groupControllerGetCapabilities().capabilities());
      } catch (CsiException e) {
        if (e.code() != CsiCode.UNIMPLEMENTED) {
          throw e;
        }
      }
    }
    return new DriverInfo(name,
        ImmutableSet.copyOf(controllerPlugin.controllerGetCapabilities().capabilities()),
        ImmutableSet.copyOf(nodePlugin.nodeGetCapabilities().capabilities()),
        plugin, group);
  }

  /** Whether the driver takes volume group snapshots (CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT). */
  public boolean snapshotsGroups() {
    return group.contains(GroupControllerCapability.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT);
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

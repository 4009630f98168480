package io.volumekit.core.csi;

/**
 * A plugin capability (GetPluginCapabilities), flattening csi.proto's {@code PluginCapability}
 * oneof: the {@code Service.Type} values and the {@code VolumeExpansion.Type} values.
 */
public enum PluginCapability {
  /** The plugin serves the Controller service. */
  CONTROLLER_SERVICE,
  /** Volumes may not be equally accessible from all nodes (topology). */
  VOLUME_ACCESSIBILITY_CONSTRAINTS,
  /** The plugin serves the GroupController service. */
  GROUP_CONTROLLER_SERVICE,
  /** The plugin serves the SnapshotMetadata service (alpha). */
  SNAPSHOT_METADATA_SERVICE,
  /** Volumes can be expanded while published (VolumeExpansion ONLINE). */
  ONLINE_VOLUME_EXPANSION,
  /** Volumes can be expanded only while not published (VolumeExpansion OFFLINE). */
  OFFLINE_VOLUME_EXPANSION
}

package io.volumekit.csi.hostpath;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedSet;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of a {@link HostPathDriver}: where volumes live ({@code dataDir}), which node the
 * driver runs on, the logical capacity of the pool, the attach limit, the nodes the controller
 * accepts in ControllerPublish, and how volumes are published.
 */
public record HostPathConfig(
    Path dataDir,
    String nodeId,
    long capacityBytes,
    long defaultVolumeSizeBytes,
    long maxVolumesPerNode,
    ImmutableSet<String> knownNodes,
    MountMode mountMode,
    Clock clock,
    ImmutableSortedSet<String> mutableParameterKeys) {

  /** How NodePublishVolume makes a volume appear at the target path. */
  public enum MountMode {
    /** Bind mounts when the process may mount (probed at start), symlinks otherwise. */
    AUTO,
    /** {@code mount --bind} (and {@code -o remount,bind,ro} for read-only); needs root. */
    BIND,
    /** A symlink from the target to the volume directory; read-only is not enforced. */
    SYMLINK
  }

  /** Validates; the own node is always among the known nodes. */
  public HostPathConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    dataDir = dataDir.toAbsolutePath().normalize();
    if (nodeId == null || nodeId.isEmpty()) {
      throw new IllegalArgumentException("nodeId: required");
    }
    if (capacityBytes <= 0 || defaultVolumeSizeBytes <= 0 || maxVolumesPerNode < 0) {
      throw new IllegalArgumentException("capacityBytes and defaultVolumeSizeBytes must be > 0, maxVolumesPerNode >= 0");
    }
    knownNodes = ImmutableSet.<String>builder().add(nodeId).addAll(knownNodes == null ? Set.of() : knownNodes).build();
    mountMode = Objects.requireNonNullElse(mountMode, MountMode.AUTO);
    Objects.requireNonNull(clock, "clock");
    mutableParameterKeys = mutableParameterKeys == null ? ImmutableSortedSet.of() : mutableParameterKeys;
  }

  /** Defaults: 100 GiB pool, 1 GiB default size, no attach limit, AUTO mounts, system clock. */
  public static HostPathConfig of(Path dataDir, String nodeId) {
    return new HostPathConfig(dataDir, nodeId, 100L << 30, 1L << 30, 0, ImmutableSet.of(), MountMode.AUTO,
        Clock.systemUTC(), ImmutableSortedSet.of());
  }

  /** With another pool size. */
  public HostPathConfig withCapacityBytes(long v) {
    return new HostPathConfig(dataDir, nodeId, v, defaultVolumeSizeBytes, maxVolumesPerNode, knownNodes, mountMode, clock,
        mutableParameterKeys);
  }

  /** With another size for volumes created without a capacity range. */
  public HostPathConfig withDefaultVolumeSizeBytes(long v) {
    return new HostPathConfig(dataDir, nodeId, capacityBytes, v, maxVolumesPerNode, knownNodes, mountMode, clock,
        mutableParameterKeys);
  }

  /** With an attach limit (0: none). */
  public HostPathConfig withMaxVolumesPerNode(long v) {
    return new HostPathConfig(dataDir, nodeId, capacityBytes, defaultVolumeSizeBytes, v, knownNodes, mountMode, clock,
        mutableParameterKeys);
  }

  /** With more nodes the controller accepts in ControllerPublish. */
  public HostPathConfig withKnownNodes(Set<String> v) {
    return new HostPathConfig(dataDir, nodeId, capacityBytes, defaultVolumeSizeBytes, maxVolumesPerNode,
        ImmutableSet.copyOf(v), mountMode, clock, mutableParameterKeys);
  }

  /** With another mount mode. */
  public HostPathConfig withMountMode(MountMode v) {
    return new HostPathConfig(dataDir, nodeId, capacityBytes, defaultVolumeSizeBytes, maxVolumesPerNode, knownNodes, v, clock,
        mutableParameterKeys);
  }

  /**
   * With the mutable parameter keys the driver accepts (CreateVolume's {@code mutable_parameters},
   * ControllerModifyVolume), as csi-driver-host-path's {@code --accepted-mutable-parameter-names}.
   * Empty, the default: no MODIFY_VOLUME capability, and mutable parameters are refused.
   */
  public HostPathConfig withMutableParameterKeys(java.util.Collection<String> v) {
    return new HostPathConfig(dataDir, nodeId, capacityBytes, defaultVolumeSizeBytes, maxVolumesPerNode, knownNodes,
        mountMode, clock, ImmutableSortedSet.copyOf(v));
  }

  /** With another clock. */
  public HostPathConfig withClock(Clock v) {
    return new HostPathConfig(dataDir, nodeId, capacityBytes, defaultVolumeSizeBytes, maxVolumesPerNode, knownNodes,
        mountMode, v, mutableParameterKeys);
  }
}

package io.volumekit.core.csi;

import java.util.List;
import java.util.Objects;

/**
 * {@code VolumeCapability}: how a volume will be used — as a filesystem or a block device, and
 * with which {@link AccessMode}. The access type is always present (csi.proto requires exactly
 * one of {@code block}/{@code mount}); the adapter rejects a wire message with neither as
 * INVALID_ARGUMENT. The access mode may be {@link AccessMode#UNKNOWN}, which drivers reject.
 */
public record VolumeCapability(AccessType accessType, AccessMode accessMode) {

  /** Rejects a null access type; a null access mode becomes UNKNOWN. */
  public VolumeCapability {
    Objects.requireNonNull(accessType, "accessType");
    accessMode = Objects.requireNonNullElse(accessMode, AccessMode.UNKNOWN);
  }

  /** A filesystem capability with the given fsType (empty for the default) and mode. */
  public static VolumeCapability mount(String fsType, AccessMode mode) {
    return new VolumeCapability(AccessType.Mount.of(fsType, List.of()), mode);
  }

  /** A filesystem capability with fsType, mount flags and mode. */
  public static VolumeCapability mount(String fsType, List<String> mountFlags, AccessMode mode) {
    return new VolumeCapability(AccessType.Mount.of(fsType, mountFlags), mode);
  }

  /** A raw block capability with the given mode. */
  public static VolumeCapability block(AccessMode mode) {
    return new VolumeCapability(new AccessType.Block(), mode);
  }

  /** Whether this is a raw block capability. */
  public boolean isBlock() {
    return accessType instanceof AccessType.Block;
  }
}

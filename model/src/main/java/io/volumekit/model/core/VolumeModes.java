package io.volumekit.model.core;

import java.util.List;

/** Volume modes of PVs and claims: {@code Filesystem} (the default when unset) and {@code Block}. */
public final class VolumeModes {
  private VolumeModes() {}

  public static final String FILESYSTEM = "Filesystem";
  public static final String BLOCK = "Block";
  /** All modes. */
  public static final List<String> ALL = List.of(BLOCK, FILESYSTEM);
}

package io.volumekit.model.core;

import java.util.List;

/**
 * Reclaim policies: what happens to a PersistentVolume when its claim is deleted
 * (docs/cases/reclaim.md). {@code Recycle} is deprecated and refused for StorageClasses.
 */
public final class ReclaimPolicies {
  private ReclaimPolicies() {}

  public static final String RETAIN = "Retain";
  public static final String DELETE = "Delete";
  public static final String RECYCLE = "Recycle";
  /** All policies a PV accepts. */
  public static final List<String> ALL = List.of(DELETE, RECYCLE, RETAIN);
}

package io.volumekit.testkit;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.state.ClusterState;

/**
 * What an {@link Invariant} sees of a simulated cluster: the engine's state at the moment of the
 * check, the driver underneath (its real volumes and publications), and the bookkeeping the
 * simulation keeps about backing volumes.
 */
public interface SimView {

  /** The engine's state at the moment of the check. */
  ClusterState state();

  /** The driver every CSI call goes through, with what the driver underneath really did. */
  FaultInjectingCsiDriver driver();

  /** Ids of the backing volumes the administrator created outside the engine (static PVs). */
  ImmutableSet<String> staticVolumes();

  /**
   * Volume handles of PVs that were removed while their reclaim policy was not Delete: the data
   * is kept on purpose, so the backing volume is not a leak.
   */
  ImmutableSet<String> retainedVolumes();

  /**
   * Snapshot handles and CSI snapshot names ({@code snapshot-<uid>}) of VolumeSnapshotContents that
   * were removed while their deletion policy was not Delete, and the member snapshot handles and
   * group names ({@code groupsnapshot-<uid>}) of such VolumeGroupSnapshotContents: the CSI
   * snapshots are kept on purpose.
   */
  default ImmutableSet<String> retainedSnapshots() {
    return ImmutableSet.of();
  }

  /** Index of the step being checked (-1 before the first step, the history size at the end). */
  int step();
}

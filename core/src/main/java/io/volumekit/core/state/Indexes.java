package io.volumekit.core.state;

import com.google.common.collect.ImmutableList;

/**
 * The one place listing the indexes every {@link ClusterState} keeps.
 *
 * <p>Add an index here (its empty instance) to make it available to all controllers through
 * {@link ClusterState#index(Class)}.
 */
public final class Indexes {

  private Indexes() {}

  /** The default indexes, empty. */
  public static ImmutableList<ObjectIndex> defaults() {
    return ImmutableList.of(
        OwnerIndex.empty(), VolumeIndex.empty(), ClaimIndex.empty(), PodIndex.empty(), EventIndex.empty(),
        NodePodIndex.empty(), AttachmentIndex.empty(), DriverVolumeIndex.empty(), NodeOperationIndex.empty(),
        PodSourceIndex.empty(),
        // Claims and snapshots by the object they take their data from (snapshots, clones).
        DataSourceIndex.empty(),
        // Claims by the VolumeAttributesClass they name (provisioning and modification wait for it).
        AttributesClassIndex.empty(),
        // The nodes' in-use volumes as persistent sets, so that stage/unstage and detach do not
        // re-parse the comma-joined annotation (O(volumes on the node)) on every reconcile.
        VolumesInUseIndex.empty(),
        // PVs by the Secrets they name, for the secret protection (no scan of every PV).
        VolumeSecretIndex.empty(),
        // Group snapshots still without a content, so that a claim change does not list them.
        GroupSnapshotIndex.empty());
  }
}

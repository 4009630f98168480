package io.volumekit.model.groupsnapshot;

import com.google.common.collect.ImmutableList;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.snapshot.VolumeSnapshotError;
import java.util.Optional;

/**
 * The observed state of a group snapshot content, filled by the csi-snapshotter: the CSI group
 * snapshot id, creation time (ns since the epoch), readiness (every member ready), the last error
 * and the members as (volume handle, snapshot handle) pairs.
 */
@RecordBuilder
public record VolumeGroupSnapshotContentStatus(
    Optional<String> volumeGroupSnapshotHandle,
    Optional<Long> creationTime,
    Optional<Boolean> readyToUse,
    Optional<VolumeSnapshotError> error,
    ImmutableList<VolumeSnapshotHandlePair> volumeSnapshotHandlePairList)
    implements VolumeGroupSnapshotContentStatusBuilder.With {

  public VolumeGroupSnapshotContentStatus {
    volumeGroupSnapshotHandle = Normalize.opt(volumeGroupSnapshotHandle);
    creationTime = Normalize.opt(creationTime);
    readyToUse = Normalize.opt(readyToUse);
    error = Normalize.opt(error);
    volumeSnapshotHandlePairList = Normalize.list(volumeSnapshotHandlePairList);
  }
}

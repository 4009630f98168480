package io.volumekit.model.groupsnapshot;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;

/** One member of a group snapshot: the source volume's CSI id and its snapshot's CSI id. */
@RecordBuilder
public record VolumeSnapshotHandlePair(String volumeHandle, String snapshotHandle)
    implements VolumeSnapshotHandlePairBuilder.With {

  public VolumeSnapshotHandlePair {
    volumeHandle = Normalize.str(volumeHandle);
    snapshotHandle = Normalize.str(snapshotHandle);
  }
}

package io.volumekit.model.groupsnapshot;

import com.google.common.collect.ImmutableList;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;

/**
 * The CSI ids of an existing group snapshot: its {@code group_snapshot_id} and its members' {@code
 * snapshot_id}s (both required).
 */
@RecordBuilder
public record GroupSnapshotHandles(
    String volumeGroupSnapshotHandle,
    ImmutableList<String> volumeSnapshotHandles) implements GroupSnapshotHandlesBuilder.With {

  public GroupSnapshotHandles {
    volumeGroupSnapshotHandle = Normalize.str(volumeGroupSnapshotHandle);
    volumeSnapshotHandles = Normalize.list(volumeSnapshotHandles);
  }
}

package io.volumekit.model.groupsnapshot;

import com.google.common.collect.ImmutableList;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * The source of a group snapshot content: exactly one of the volume handles to snapshot together
 * (dynamic) or the handles of an existing group snapshot (pre-provisioned); both immutable.
 */
@RecordBuilder
public record VolumeGroupSnapshotContentSource(
    ImmutableList<String> volumeHandles,
    Optional<GroupSnapshotHandles> groupSnapshotHandles) implements VolumeGroupSnapshotContentSourceBuilder.With {

  public VolumeGroupSnapshotContentSource {
    volumeHandles = Normalize.list(volumeHandles);
    groupSnapshotHandles = Normalize.opt(groupSnapshotHandles);
  }
}

package io.volumekit.model.groupsnapshot;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.snapshot.VolumeSnapshotError;
import java.time.Instant;
import java.util.Optional;

/** The observed state of a group snapshot, mirrored from its content by the snapshot controller. */
@RecordBuilder
public record VolumeGroupSnapshotStatus(
    Optional<String> boundVolumeGroupSnapshotContentName,
    Optional<Instant> creationTime,
    Optional<Boolean> readyToUse,
    Optional<VolumeSnapshotError> error) implements VolumeGroupSnapshotStatusBuilder.With {

  public VolumeGroupSnapshotStatus {
    boundVolumeGroupSnapshotContentName = Normalize.opt(boundVolumeGroupSnapshotContentName);
    creationTime = Normalize.opt(creationTime);
    readyToUse = Normalize.opt(readyToUse);
    error = Normalize.opt(error);
  }
}

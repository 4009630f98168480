package io.volumekit.model.groupsnapshot;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/** What a group snapshot is taken of and with which class (absent: the driver's default class). */
@RecordBuilder
public record VolumeGroupSnapshotSpec(
    VolumeGroupSnapshotSource source,
    Optional<String> volumeGroupSnapshotClassName) implements VolumeGroupSnapshotSpecBuilder.With {

  public VolumeGroupSnapshotSpec {
    source = Normalize.or(source, () -> VolumeGroupSnapshotSourceBuilder.builder().build());
    volumeGroupSnapshotClassName = Normalize.opt(volumeGroupSnapshotClassName);
  }
}

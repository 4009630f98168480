package io.volumekit.model.groupsnapshot;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import java.util.Optional;

/** A group snapshot content: the group snapshot it is bound to, its driver, class, policy and source. */
@RecordBuilder
public record VolumeGroupSnapshotContentSpec(
    ObjectReference volumeGroupSnapshotRef,
    String deletionPolicy,
    String driver,
    Optional<String> volumeGroupSnapshotClassName,
    VolumeGroupSnapshotContentSource source) implements VolumeGroupSnapshotContentSpecBuilder.With {

  public VolumeGroupSnapshotContentSpec {
    volumeGroupSnapshotRef = Normalize.or(volumeGroupSnapshotRef, () -> ObjectReferenceBuilder.builder().build());
    deletionPolicy = Normalize.str(deletionPolicy);
    driver = Normalize.str(driver);
    volumeGroupSnapshotClassName = Normalize.opt(volumeGroupSnapshotClassName);
    source = Normalize.or(source, () -> VolumeGroupSnapshotContentSourceBuilder.builder().build());
  }
}

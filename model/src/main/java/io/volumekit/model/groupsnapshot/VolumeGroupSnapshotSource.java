package io.volumekit.model.groupsnapshot;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * The source of a group snapshot: exactly one of a label selector over the claims of the group
 * snapshot's namespace (dynamic) or an existing content (pre-provisioned); both immutable.
 */
@RecordBuilder
public record VolumeGroupSnapshotSource(
    Optional<LabelSelector> selector,
    Optional<String> volumeGroupSnapshotContentName) implements VolumeGroupSnapshotSourceBuilder.With {

  public VolumeGroupSnapshotSource {
    selector = Normalize.opt(selector);
    volumeGroupSnapshotContentName = Normalize.opt(volumeGroupSnapshotContentName);
  }
}

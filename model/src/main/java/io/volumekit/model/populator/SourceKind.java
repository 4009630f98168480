package io.volumekit.model.populator;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;

/**
 * The group and kind of the data source a populator fills volumes from (a {@code metav1.GroupKind}
 * as {@code VolumePopulator.sourceKind}): {@code group} is empty for the core group.
 */
@RecordBuilder
public record SourceKind(String group, String kind) implements SourceKindBuilder.With {

  public SourceKind {
    group = Normalize.str(group);
    kind = Normalize.str(kind);
  }

  /** As Kubernetes prints a GroupKind: {@code Kind.group}, or {@code Kind} for the core group. */
  @Override
  public String toString() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}

package io.volumekit.model.core;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import io.volumekit.model.meta.ObjectMeta;

/**
 * A pod template ({@code core/v1 PodTemplateSpec}): the metadata and spec a workload controller
 * copies into each pod it creates (a StatefulSet's {@code spec.template}).
 */
@RecordBuilder
public record PodTemplateSpec(ObjectMeta metadata, PodSpec spec) implements PodTemplateSpecBuilder.With {

  public PodTemplateSpec {
    metadata = Normalize.or(metadata, () -> ObjectMeta.named(""));
    spec = Normalize.or(spec, () -> PodSpecBuilder.builder().build());
  }
}

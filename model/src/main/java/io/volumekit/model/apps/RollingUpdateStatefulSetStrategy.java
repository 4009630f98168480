package io.volumekit.model.apps;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * The parameters of a {@code RollingUpdate} ({@code apps/v1 RollingUpdateStatefulSetStrategy}):
 * pods with an ordinal below {@code partition} keep the old template.
 */
@RecordBuilder
public record RollingUpdateStatefulSetStrategy(Optional<Integer> partition)
    implements RollingUpdateStatefulSetStrategyBuilder.With {

  public RollingUpdateStatefulSetStrategy {
    partition = Normalize.opt(partition);
  }
}

package io.volumekit.model.apps;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * How a StatefulSet rolls out a changed pod template ({@code apps/v1 StatefulSetUpdateStrategy}):
 * {@code RollingUpdate} (with an optional {@code partition}) or {@code OnDelete}. Kept and
 * validated; volumekit does not roll out templates.
 */
@RecordBuilder
public record StatefulSetUpdateStrategy(Optional<String> type, Optional<RollingUpdateStatefulSetStrategy> rollingUpdate)
    implements StatefulSetUpdateStrategyBuilder.With {

  /** Replace pods in reverse ordinal order when the template changes. */
  public static final String ROLLING_UPDATE = "RollingUpdate";
  /** Replace pods only when they are deleted. */
  public static final String ON_DELETE = "OnDelete";

  public StatefulSetUpdateStrategy {
    type = Normalize.opt(type);
    rollingUpdate = Normalize.opt(rollingUpdate);
  }
}

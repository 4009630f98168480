package io.volumekit.model.apps;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * The ordinals of a StatefulSet's pods ({@code apps/v1 StatefulSetOrdinals}): pods are numbered
 * {@code start .. start+replicas-1}.
 */
@RecordBuilder
public record StatefulSetOrdinals(Optional<Integer> start) implements StatefulSetOrdinalsBuilder.With {

  public StatefulSetOrdinals {
    start = Normalize.opt(start);
  }

  /** The first ordinal, 0 when unset. */
  @JsonIgnore
  public int startOrDefault() {
    return start.orElse(0);
  }
}

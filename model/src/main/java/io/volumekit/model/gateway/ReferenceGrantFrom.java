package io.volumekit.model.gateway;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;

/**
 * Who a ReferenceGrant lets refer: objects of {@code group}/{@code kind} (group empty: the core
 * group) in {@code namespace}.
 */
@RecordBuilder
public record ReferenceGrantFrom(String group, String kind, String namespace) implements ReferenceGrantFromBuilder.With {

  public ReferenceGrantFrom {
    group = Normalize.str(group);
    kind = Normalize.str(kind);
    namespace = Normalize.str(namespace);
  }
}

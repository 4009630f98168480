package io.volumekit.model.gateway;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * What a ReferenceGrant lets be referred to in its namespace: objects of {@code group}/{@code kind}
 * (group empty: the core group), all of them, or only the one named {@code name}.
 */
@RecordBuilder
public record ReferenceGrantTo(String group, String kind, Optional<String> name) implements ReferenceGrantToBuilder.With {

  public ReferenceGrantTo {
    group = Normalize.str(group);
    kind = Normalize.str(kind);
    name = Normalize.opt(name);
  }
}
